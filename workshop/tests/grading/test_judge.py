"""Checks judged outside the sandbox give the verdicts checks beside the app give.

A lesson in JUDGED_OUTSIDE runs its checks in the grader, against the app served
by another process (workshop.grading.observer): its solution passes, its stubs
fail (as do the wrong answers test_wrong_answers.py gives the judge), and an
answer from the app's side that is not exactly the plain data asked for is not
believed.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workshop import checking
from workshop.authoring.fold import managed_files
from workshop.authoring.sandbox import make_sandbox
from workshop.grading.channel import MAX_LINE, Gone, Lines
from workshop.grading.judge import (
    JUDGED_OUTSIDE,
    Remote,
    judge_exercise,
    judge_in_child,
)
from workshop.tests.conftest import ROOT
from workshop.tests.wrong_answers import lesson02, lesson06, lesson08

JUDGED = [
    e for e in checking.all_exercises() if checking.lesson_of(e) in JUDGED_OUTSIDE
]


def app_with(tmp_path: Path, exercise: str, **choice: Any) -> Path:
    lesson = checking.lesson_of(exercise)
    files = managed_files(ROOT, through=lesson, **choice)
    return make_sandbox(ROOT, tmp_path / "workshop", files=files.texts())


def test_every_exercise_is_judged_outside() -> None:
    assert frozenset(range(1, 11)) == JUDGED_OUTSIDE
    assert set(JUDGED) == set(checking.all_exercises())


@pytest.mark.parametrize("exercise", JUDGED)
def test_the_solution_passes_and_the_stub_fails(tmp_path: Path, exercise: str) -> None:
    solved = judge_in_child(app_with(tmp_path / "solved", exercise), exercise)
    assert solved.passed, (solved.error, [s for s in solved.steps if not s.ok])
    stub = judge_in_child(
        app_with(tmp_path / "stub", exercise, stubbed={exercise}), exercise
    )
    assert not stub.passed


def test_the_differential_step_catches_what_the_fixed_cases_miss(
    tmp_path: Path,
) -> None:
    """Whole words compared: every fixed case of 02.3 is right, drawn ones are not."""
    code = lesson02.WRONG["02.3"]["only whole words of the password compared"]
    app = app_with(tmp_path, "02.3", answers={"02.3": code})
    result = judge_in_child(app, "02.3")
    assert [s.ok for s in result.steps] == [True] * 5 + [False]
    assert "the solution 'the password must not contain" in result.steps[-1].got


# A wrong answer of lesson 06 that every fixed case lets through, and the step
# (its number) that compares drawn inputs with the solution's answers.
DRAWN_CATCHES = [
    ("06.1", "a path that starts with an index taken for a character's position", 2),
    ("06.2", "[a-z] with re.IGNORECASE, which takes the Kelvin sign for a k", 1),
    ("06.3", "the last chunk measured on its own, not added to the total", 9),
]


@pytest.mark.parametrize(
    ("exercise", "what", "step"), DRAWN_CATCHES, ids=[e for e, _, _ in DRAWN_CATCHES]
)
def test_the_drawn_inputs_of_06_catch_what_the_fixed_cases_miss(
    tmp_path: Path, exercise: str, what: str, step: int
) -> None:
    code = lesson06.WRONG[exercise][what]
    result = judge_in_child(
        app_with(tmp_path, exercise, answers={exercise: code}), exercise
    )
    assert result.error is None
    assert [s.ok for s in result.steps] == [n != step for n in range(len(result.steps))]
    assert len(result.steps) == checking.all_exercises()[exercise].steps
    assert "the solution" in result.steps[step].got


def test_the_differential_steps_of_08_3_refuse_a_capped_walk_judged_outside(
    tmp_path: Path,
) -> None:
    """Four hops read at most: the chains of up to three trusted hops are right;
    the fixed chains of sixteen refuse it, and so do both differential steps,
    whose drawn chains hold up to seven, compared with the solution's answers."""
    code = lesson08.WRONG["08.3"]["the last four hops only (a chain is never longer)"]
    app = app_with(tmp_path, "08.3", answers={"08.3": code})
    result = judge_in_child(app, "08.3")
    assert [s.ok for s in result.steps] == [True] * 6 + [False, True] + [
        False,
        False,
        True,
    ]
    assert "the solution '" in result.steps[8].got


def _fake_app(answer: Callable[[dict[str, Any]], bytes]) -> tuple[Remote, Any]:
    """A Remote whose other end answers each request with `answer(request)`."""
    requests_in, requests_out = os.pipe()
    answers_in, answers_out = os.pipe()

    def serve() -> None:
        lines = Lines(requests_in)
        try:
            while True:
                os.write(answers_out, answer(lines.read()))
        except (Gone, OSError):  # the judge closed its end, or stopped reading
            return
        finally:
            os.close(answers_out)
            os.close(requests_in)

    thread = threading.Thread(target=serve)
    thread.start()
    remote = Remote(requests_out, answers_in, time.monotonic() + 60)

    def close() -> None:
        os.close(requests_out)
        thread.join()
        os.close(answers_in)

    return remote, close


def _line(message: object) -> bytes:
    return (json.dumps(message) + "\n").encode()


BEGUN = {"blocked": None, "error": None}
CALLED = {
    "raised": False,
    "type": "NoneType",
    "returned": None,
    "plain": True,
    "message": "",
    "errors": [],
}


@pytest.mark.parametrize(
    ("exercise", "reply", "said"),
    [
        # 01.1 asks for /health: a status that is a boolean is no status
        (
            "01.1",
            {"status": True, "headers": [], "body": "", "server_error": ""},
            "status",
        ),
        # headers that are not pairs of text
        (
            "01.1",
            {"status": 200, "headers": [[1, 2]], "body": "", "server_error": ""},
            "headers",
        ),
        # 02.3 calls password_problem: "raised" must be a boolean, not 0
        ("02.3", {"called": {**CALLED, "raised": 0}}, "raised"),
        # error types that are not text
        ("02.3", {"called": {**CALLED, "errors": [{}]}}, "error types"),
    ],
)
def test_an_answer_of_the_wrong_type_fails_the_check(
    exercise: str, reply: dict[str, Any], said: str
) -> None:
    def answer(request: dict[str, Any]) -> bytes:
        if request["op"] == "begin":
            return _line(BEGUN)
        if request["op"] == "build":
            return _line({"app": 1})
        if request["op"] == "open":
            return _line({"client": 1})
        return _line(reply)

    remote, close = _fake_app(answer)
    try:
        result = judge_exercise(exercise, remote)
    finally:
        close()
    assert not result.passed
    assert said in (result.error or "")


def test_an_answer_longer_than_the_channel_allows_is_not_read() -> None:
    remote, close = _fake_app(lambda request: b"x" * (MAX_LINE + 2))
    try:
        result = judge_exercise("01.3", remote)
    finally:
        close()
    assert result.error == "an answer larger than the channel allows"
    assert not result.passed


def test_a_check_of_a_lesson_not_listed_is_refused_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A lesson added later, not yet written for the judge: its check would
    import `app` in the grader's process."""

    def check(t: checking.Checker) -> None:
        t.expect(True, "never reached")

    monkeypatch.setitem(
        checking.EXERCISES, "11.1", checking.Exercise("11.1", "", ("a", "b"), 1, check)
    )
    read, write = os.pipe()
    try:
        with pytest.raises(ValueError, match="not judged outside"):
            judge_exercise("11.1", Remote(write, read, 0.0))
    finally:
        os.close(read)
        os.close(write)


def test_a_check_judged_outside_cannot_import_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The app the grader could import is not the attendee's: an import fails
    the check with a reason, even where an `app` is already loaded."""

    def check(t: checking.Checker) -> None:
        from app.main import create_app  # type: ignore[import-not-found]

        t.expect(create_app, "never reached")

    monkeypatch.setitem(
        checking.EXERCISES,
        "01.99",
        checking.Exercise("01.99", "", ("a", "b"), 1, check),
    )
    monkeypatch.setitem(__import__("sys").modules, "app", object())
    remote, close = _fake_app(lambda request: _line(BEGUN))
    try:
        result = judge_exercise("01.99", remote)
    finally:
        close()
    assert not result.passed
    assert "a check judged outside imported app" in (result.error or "")
    assert __import__("sys").modules["app"] is not None  # put back afterwards


def _saw(**arguments: Any) -> Any:
    return {"seen": arguments}


def test_an_observation_comes_back_as_plain_data_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = checking.observation_name(_saw)
    monkeypatch.setitem(checking.OBSERVATIONS, name, _saw)
    assert checking.Checker().observe(_saw, n=1) == {"seen": {"n": 1}}
    with pytest.raises(TypeError, match="plain data"):
        checking.Checker().observe(_saw, when=object())
    monkeypatch.setitem(checking.OBSERVATIONS, name, lambda: object())
    with pytest.raises(TypeError, match="not plain data"):
        checking.Checker().observe(_saw)
    with pytest.raises(ValueError, match="no such observation"):
        checking.observe("lesson99.nothing", {})


def test_an_observation_is_asked_of_the_sandbox_by_name() -> None:
    from workshop.grading.judge import RemoteChecker
    from workshop.grading.observer import Observer

    asked: list[dict[str, Any]] = []

    def answer(request: dict[str, Any]) -> bytes:
        asked.append(request)
        return _line({"value": [1, "two"]})

    remote, close = _fake_app(answer)
    try:
        assert RemoteChecker(remote).observe(_saw, n=1) == [1, "two"]
    finally:
        close()
    assert asked == [
        {"op": "observe", "name": "test_judge._saw", "arguments": {"n": 1}}
    ]
    said = Observer({}).answer({"op": "observe", "name": "nope", "arguments": {}})
    assert "no such observation" in said["raised"]
