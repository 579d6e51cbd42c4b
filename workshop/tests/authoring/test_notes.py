"""`workshop notes`: a timed plan, each exercise with its hints and the mistakes
its check rejects, and a sheet for attendees, for every lesson."""

import pytest

from workshop.authoring.notes import lesson_notes, mistakes
from workshop.checking import all_exercises, exercises_of
from workshop.cli import main
from workshop.project import lesson_number, solution_notebooks
from workshop.tests.conftest import ROOT

LESSONS = [p for p in solution_notebooks(ROOT) if lesson_number(p) >= 1]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_exercise_comes_with_its_hints_and_mistakes(path) -> None:
    notes = lesson_notes(path)
    number = lesson_number(path)
    ids = exercises_of(number)
    assert ids, "a lesson without exercises"
    for exercise_id in ids:
        exercise = all_exercises()[exercise_id]
        assert f"### {exercise_id} · {exercise.title}" in notes
        assert all(hint in notes for hint in exercise.hints)
        labels = mistakes(number).get(exercise_id, [])
        assert len(labels) >= 3, exercise_id  # every check rejects three or more
        assert all(label in notes for label in labels)
    assert "## Objectives\n\n1. " in notes
    assert f'`check("{ids[0]}")`' in notes and "`workshop submit your-name`" in notes


def test_the_plan_runs_through_every_section_with_a_clock() -> None:
    notes = lesson_notes(ROOT / "solutions" / "04-auth.ipynb")
    plan = notes.split("## Plan", 1)[1].split("## Exercises", 1)[0]
    rows = [
        line for line in plan.splitlines() if line.startswith("| ") and " min |" in line
    ]
    starts = [int(row.split("|")[1].split()[0]) for row in rows]
    assert starts[0] == 0 and starts == sorted(starts) and len(rows) > 5
    assert "`app/security/passwords.py`" in plan


def test_the_command_prints_the_lessons_asked_for(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["notes", "02", "3"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("# Instructor notes · ") == 2
    assert "02.1" in printed and "03.1" in printed and "04.1" not in printed
