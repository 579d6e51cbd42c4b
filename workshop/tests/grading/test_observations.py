"""What an observation brings back is judged, never trusted for its shape.

The checks of lessons 03 and 05 reach the app only through observations
(workshop.exercises.observations); when the sandbox answers with something
other than what was asked (nothing, text, an empty list or dictionary, a
half-built answer), each such check fails or stops with a reason, and never
passes. Graded under bubblewrap, lesson 05's observations (migrations and
databases made in the sandbox) give the solution its ticks and a wrong answer
none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workshop import checking, timeouts
from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.grading import isolation
from workshop.grading.judge import JUDGED_OUTSIDE, judge_exercise
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import attendee_notebook, everything, save, table_of
from workshop.tests.grading.test_judge import BEGUN, _fake_app
from workshop.tests.wrong_answers import lesson05

OBSERVED = [e for e in checking.all_exercises() if checking.lesson_of(e) in (3, 5)]
JUNK = [
    None,
    "",
    [],
    {},
    {"status": 200, "body": "{}"},
    {"types": "app.errors.Conflict", "problem": ""},
]


@pytest.mark.parametrize("junk", JUNK, ids=[json.dumps(j) for j in JUNK])
@pytest.mark.parametrize("exercise", OBSERVED)
def test_an_observation_that_answers_junk_fails_the_check(
    exercise: str, junk: Any
) -> None:
    def answer(request: dict[str, Any]) -> bytes:
        reply = BEGUN if request["op"] == "begin" else {"value": junk}
        return (json.dumps(reply) + "\n").encode()

    remote, close = _fake_app(answer)
    try:
        result = judge_exercise(exercise, remote)
    finally:
        close()
    assert not result.passed, (exercise, junk)
    assert result.error or not all(step.ok for step in result.steps)


def test_an_exception_is_known_by_its_list_of_classes_only() -> None:
    """A text holding the class's name is not a list of classes."""
    from workshop.exercises import observed

    seen = observed.raised(KeyError("k"))
    assert observed.is_a(seen, "builtins.LookupError")
    assert observed.kind(seen) == "KeyError"
    assert not observed.is_a({"types": "builtins.LookupError"}, "builtins.LookupError")
    assert not observed.is_a(None, "builtins.LookupError")
    assert observed.kind(None) == "no error"


def test_an_answer_that_is_not_one_is_never_a_success() -> None:
    from workshop.exercises import observed

    assert observed.response({"status": 200, "body": "{}"}).status_code == 200
    for junk in (None, {"status": True, "body": ""}, {"status": 200, "body": 1}):
        assert observed.response(junk).status_code == 599
    assert observed.said({"status": 500, "body": "", "raised": "KeyError: k"}) == (
        "500, raised by KeyError: k"
    )


KERNEL = isolation.detect(ROOT)


@pytest.mark.skipif(
    not KERNEL.kernel,
    reason=f"needs bubblewrap that works here ({KERNEL.problem}); CI installs it",
)
def test_lesson_05_is_graded_through_its_observations_under_bubblewrap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 5 in JUDGED_OUTSIDE
    checkout = make_sandbox(ROOT, tmp_path / "instructor" / "workshop")
    wrong = {e: next(iter(answers.values())) for e, answers in lesson05.WRONG.items()}
    folder = tmp_path / "submissions"
    corpus = [
        save(attendee_notebook(5, everything(5)), folder / "solved.ipynb"),
        save(attendee_notebook(5), folder / "stubs.ipynb"),
        save(attendee_notebook(5, answers=wrong), folder / "wrong.ipynb"),
    ]
    monkeypatch.chdir(checkout)
    timeout = str(round(timeouts.scaled(60)))
    main(["grade", *map(str, corpus), "--isolation", "bwrap", "--timeout", timeout])
    rows = {
        line.split()[0]: line.split()[1:]
        for line in table_of(capsys.readouterr().out).splitlines()[1:-1]
    }
    assert rows["solved"][:4] == ["✓", "✓", "✓", "3/3"], rows
    assert "✓" not in rows["stubs"], rows
    assert "✓" not in rows["wrong"] and rows["wrong"].count("✗") == 3, rows
