"""Every lesson meets the workshop's standard, checked on the solution notebooks."""

import re
from pathlib import Path

import pytest

from workshop import checking
from workshop.authoring import notebooks
from workshop.project import lesson_number, solution_notebooks

ROOT = Path(__file__).resolve().parents[3]
LESSONS = [p for p in solution_notebooks(ROOT) if lesson_number(p) >= 1]
SETUP = "%load_ext workshop\nfrom workshop import check, checkpoint, fresh_client, show"


def markdown(path: Path) -> str:
    cells = notebooks.read(path).cells
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", solution_notebooks(ROOT), ids=lambda p: p.stem)
def test_every_notebook_starts_with_time_goals_and_setup(path: Path) -> None:
    cells = notebooks.read(path).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
    assert "**Time:**" in cells[0].source
    setup = next(c for c in cells if c.cell_type == "code")
    assert setup.source.startswith(SETUP)
    if lesson_number(path) >= 1:
        assert f'# checkpoint("{lesson_number(path):02d}")' in setup.source


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_a_diagram_a_recap_and_review_questions(path: Path) -> None:
    text = markdown(path)
    assert "```mermaid" in text
    assert "## Recap" in text
    assert re.search(r"## Review questions\n+1\. ", text)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_has_two_to_four_checked_exercises(path: Path) -> None:
    ids = checking.exercises_of(lesson_number(path))
    assert 2 <= len(ids) <= 4, ids
    code = [c.source for c in notebooks.read(path).cells if c.cell_type == "code"]
    for exercise_id in ids:
        assert f'check("{exercise_id}")' in code, exercise_id
        assert f"### Exercise {exercise_id}" in markdown(path)
