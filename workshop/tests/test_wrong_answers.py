"""Every plausible wrong answer in `wrong_answers/` fails its exercise's check."""

import importlib
import pkgutil
from pathlib import Path

import pytest

from workshop import checking
from workshop.attendee.feedback import check_in_child
from workshop.authoring.fold import managed_files
from workshop.authoring.sandbox import make_sandbox
from workshop.project import find_root
from workshop.tests import wrong_answers

ROOT = find_root(Path(__file__))
CASES = [
    (exercise, what, code)
    for module in pkgutil.iter_modules(wrong_answers.__path__)
    for exercise, answers in importlib.import_module(
        f"{wrong_answers.__name__}.{module.name}"
    ).WRONG.items()
    for what, code in answers.items()
]


def sandbox_with(tmp_path: Path, exercise: str, code: str) -> Path:
    """The end of the exercise's lesson with `code` in its region, others solved."""
    lesson = checking.lesson_of(exercise)
    files = managed_files(ROOT, through=lesson, answers={exercise: code})
    return make_sandbox(ROOT, tmp_path / "workshop", files=files.texts())


def test_every_exercise_has_six_wrong_answers() -> None:
    """Six mistakes of different kinds: a check that refuses only the obvious
    ones (a bound, a status) is caught out by the others."""
    counts = {e: sum(case[0] == e for case in CASES) for e in checking.all_exercises()}
    assert {e: n for e, n in counts.items() if n < 6} == {}


@pytest.mark.parametrize(
    ("exercise", "what", "code"), CASES, ids=[f"{e} {w}" for e, w, _ in CASES]
)
def test_the_check_refuses_a_wrong_answer(
    tmp_path: Path, exercise: str, what: str, code: str
) -> None:
    result = check_in_child(sandbox_with(tmp_path, exercise, code), exercise)
    assert not result.passed, f"{exercise} passed with {what}"
