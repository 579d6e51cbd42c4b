"""Every plausible wrong answer in `wrong_answers/` fails its exercise's check.

A check runs two ways: beside the app, as an attendee's `check()` runs it, and
judged from outside, as grading runs it (workshop.grading.judge). Both run the
same check function; what differs is how the app is reached. So each wrong
answer is tried once, the answers of an exercise taking turns between the two
ways: every exercise has wrong answers refused both ways (six at least, so
three each), and no answer is tried twice for nothing new.
"""

import importlib
import pkgutil
from pathlib import Path

import pytest

from workshop import checking
from workshop.attendee.feedback import check_in_child
from workshop.authoring.fold import managed_files
from workshop.authoring.sandbox import make_sandbox
from workshop.grading.judge import judge_in_child
from workshop.project import find_root
from workshop.tests import wrong_answers

ROOT = find_root(Path(__file__))
ANSWERS = [
    (exercise, what, code)
    for module in pkgutil.iter_modules(wrong_answers.__path__)
    for exercise, answers in importlib.import_module(
        f"{wrong_answers.__name__}.{module.name}"
    ).WRONG.items()
    for what, code in answers.items()
]
CASES = [
    (exercise, what, code, "judged" if turn % 2 else "beside")
    for exercise in checking.all_exercises()
    for turn, (_, what, code) in enumerate(a for a in ANSWERS if a[0] == exercise)
]


def sandbox_with(tmp_path: Path, exercise: str, code: str) -> Path:
    """The end of the exercise's lesson with `code` in its region, others solved."""
    lesson = checking.lesson_of(exercise)
    files = managed_files(ROOT, through=lesson, answers={exercise: code})
    return make_sandbox(ROOT, tmp_path / "workshop", files=files.texts())


def test_every_exercise_has_six_wrong_answers() -> None:
    """Six mistakes of different kinds: a check that refuses only the obvious
    ones (a bound, a status) is caught out by the others."""
    counts = {e: sum(a[0] == e for a in ANSWERS) for e in checking.all_exercises()}
    assert {e: n for e, n in counts.items() if n < 6} == {}
    assert len(CASES) == len(ANSWERS)  # no wrong answer of an unknown exercise


@pytest.mark.parametrize(
    ("exercise", "what", "code", "way"),
    CASES,
    ids=[f"{e} {w} ({way})" for e, w, _, way in CASES],
)
def test_the_check_refuses_a_wrong_answer(
    tmp_path: Path, exercise: str, what: str, code: str, way: str
) -> None:
    app = sandbox_with(tmp_path, exercise, code)
    run = judge_in_child if way == "judged" else check_in_child
    assert not run(app, exercise).passed, f"{exercise} passed with {what} ({way})"
