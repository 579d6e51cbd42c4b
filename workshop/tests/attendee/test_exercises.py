"""Every exercise check fails on its stub and passes on its solution."""

from pathlib import Path

import pytest

from workshop import checking
from workshop.attendee.feedback import check_in_child
from workshop.attendee.report import report
from workshop.authoring import notebooks
from workshop.authoring.fold import managed_files
from workshop.authoring.regions import region_ids
from workshop.authoring.sandbox import make_sandbox
from workshop.project import solution_notebooks

ROOT = Path(__file__).resolve().parents[3]
EXERCISES = sorted(checking.all_exercises())


def lesson_with(tmp_path: Path, exercise_id: str, stubbed: set[str]) -> Path:
    """A copy at the end of the exercise's lesson, with `stubbed` exercises undone."""
    lesson = checking.lesson_of(exercise_id)
    files = managed_files(ROOT, through=lesson, stubbed=stubbed)
    return make_sandbox(ROOT, tmp_path / "workshop", files=files.texts())


def test_every_exercise_has_a_region_and_every_region_a_check() -> None:
    ids = {
        region
        for source in solution_notebooks(ROOT)
        for cell in notebooks.read(source).cells
        for region in region_ids(cell.source)
    }
    assert ids == set(EXERCISES)


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_check_passes_on_the_solution(tmp_path: Path, exercise_id: str) -> None:
    result = check_in_child(lesson_with(tmp_path, exercise_id, set()), exercise_id)
    assert result.passed, report(result)
    declared = checking.all_exercises()[exercise_id].steps
    assert len(result.steps) == declared, "declare steps= as the solution records"


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_check_fails_on_its_stub(tmp_path: Path, exercise_id: str) -> None:
    box = lesson_with(tmp_path, exercise_id, {exercise_id})
    result = check_in_child(box, exercise_id)
    text = report(result)
    assert not result.passed, text
    assert (
        f"Not yet: {sum(s.ok for s in result.steps)} of {result.total} passed" in text
    )
    assert len(result.steps) <= result.expected
    assert f"Hint (1 of 2): {result.hints[0]}" in text
    assert f'check("{exercise_id}", hint=2) gives a closer hint' in text
    assert result.hints[1] in report(result, hint=2)


def test_the_attendee_notebooks_write_the_stubs(root: Path, tmp_path: Path) -> None:
    """What `make test` runs in notebooks/ is what the stub test above checks."""
    for source in solution_notebooks(root):
        attendee = notebooks.read(root / "notebooks" / source.name)
        solution = notebooks.read(source)
        for mine, theirs in zip(
            notebooks.file_cells(attendee.cells),
            notebooks.file_cells(solution.cells),
            strict=True,
        ):
            assert (mine.path, mine.text()) == (theirs.path, theirs.text(stubbed=True))


def test_an_unknown_exercise_is_explained(root: Path) -> None:
    result = check_in_child(root, "01.9")
    assert not result.passed
    assert report(result) == (
        "There is no exercise 01.9; lesson 01 has 01.1, 01.2, 01.3."
    )
    assert report(check_in_child(root, "00.9")) == (
        "There is no exercise 00.9; exercise ids name the lesson and the "
        "exercise, like 01.2."
    )


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_check_still_passes_after_later_lessons(
    workshop_copy: Path, exercise_id: str
) -> None:
    """An attendee who finished everything can re-check any earlier exercise."""
    result = check_in_child(workshop_copy, exercise_id)
    assert result.passed, report(result)
