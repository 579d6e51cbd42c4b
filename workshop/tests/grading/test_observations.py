"""What an observation brings back is judged, never trusted for its shape.

The checks of lessons 03 and 05 reach the app only through observations
(workshop.exercises.observations); when the sandbox answers with something
other than what was asked (nothing, text, an empty list or dictionary, a
half-built answer), each such check fails or stops with a reason, and never
passes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from workshop import checking
from workshop.grading.judge import judge_exercise
from workshop.tests.grading.test_judge import BEGUN, _fake_app

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
