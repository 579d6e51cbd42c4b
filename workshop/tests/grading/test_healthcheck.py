"""Check 09.3 graded: the image's HEALTHCHECK is run in the sandbox, against a
live port, one whose /health answers 500 and a dead port on the job's own
loopback, not taken on trust.

A job's network namespace has nothing but a loopback, which the grader brings
up; no process may start there, so the command's Python runs in the job's own
process (the observation workshop.exercises.observations.lesson09.healthcheck),
importing only what the image has, and the grader judges the exit codes it
reports. Nothing of that may be reported as the attendee trying to escape, and a
sandbox that says it could not run the command earns no ✓ for it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.grading import isolation
from workshop.grading.judge import judge_exercise
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import attendee_notebook, save
from workshop.tests.grading.test_judge import BEGUN, _fake_app, _line
from workshop.tests.wrong_answers.lesson09 import WRONG

KERNEL = isolation.detect(ROOT)
RUN = "run as the image runs it"
ONLY_WHEN_RUN = {  # wrong in a way only running the command shows
    "httpx": WRONG["09.3"]["a package the image does not have (httpx)"],
    "never-fails": WRONG["09.3"]["a health check that can never fail (|| true)"],
}


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(
            "bwrap",
            marks=pytest.mark.skipif(
                not KERNEL.kernel,
                reason=f"needs bubblewrap that works here ({KERNEL.problem})",
            ),
        ),
        "fence",  # the loopback of the machine, and still no process
    ],
)
def graded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict]:
    """Lesson 09 graded in each isolation: 09.3 as the solution, and wrong."""
    tmp = tmp_path_factory.mktemp("healthcheck")
    checkout = make_sandbox(ROOT, tmp / "instructor" / "workshop")
    done = {"09.1", "09.2"}
    notebooks = [save(attendee_notebook(9, done | {"09.3"}), tmp / "right.ipynb")]
    notebooks += [
        save(attendee_notebook(9, done, {"09.3": code}), tmp / f"{name}.ipynb")
        for name, code in ONLY_WHEN_RUN.items()
    ]
    report = tmp / "grades.json"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(checkout)
        main(
            [
                "grade",
                *map(str, notebooks),
                "--isolation",
                request.param,
                "--course",
                "09",
                "--json",
                str(report),
            ]
        )
    rows = json.loads(report.read_text(encoding="utf-8"))["attendees"]
    return {row["name"]: row for row in rows}


def test_the_healthcheck_is_run_when_graded(graded: dict[str, dict]) -> None:
    right = graded["right"]
    assert right["status"] == "graded", right  # no process tried, nothing flagged
    result = right["exercises"]["09.3"]
    assert result["state"] == "pass", result
    assert any(m.startswith(f"✓ {RUN}") for m in result["messages"]), result


@pytest.mark.parametrize("name", sorted(ONLY_WHEN_RUN))
def test_a_healthcheck_that_fails_when_run_fails_when_graded(
    graded: dict[str, dict], name: str
) -> None:
    row = graded[name]
    assert row["status"] == "graded", row
    result = row["exercises"]["09.3"]
    assert result["state"] != "pass", result
    assert any(m.startswith(f"✗ {RUN}") for m in result["messages"]), result


LIVE, DEAD = {"exit": 0, "said": ""}, {"exit": 1, "said": "Connection refused"}
SICK = {"exit": 1, "said": "HTTP Error 500: Internal Server Error"}
RUNS = {  # what the sandbox says of the run: does it earn the step?
    "passed live, failed sick and dead": (
        {"network": True, "live": LIVE, "sick": SICK, "down": DEAD},
        True,
    ),
    "no network, not run": ({"network": False, "why": "Network is unreachable"}, False),
    "never ended against the dead port": (
        {
            "network": True,
            "live": LIVE,
            "sick": SICK,
            "down": {"exit": None, "said": "running"},
        },
        False,
    ),
    "passed against a /health answering 500": (
        {"network": True, "live": LIVE, "sick": LIVE, "down": DEAD},
        False,
    ),
    "no word of the 500 run": ({"network": True, "live": LIVE, "down": DEAD}, False),
}


@pytest.mark.parametrize(("ran", "passes"), RUNS.values(), ids=RUNS.keys())
def test_the_grader_judges_what_the_sandbox_says_of_the_run(
    ran: dict[str, Any], passes: bool
) -> None:
    """The solution's Dockerfile, and a run the sandbox reports: only a command
    that passed against the live port and exited non-zero against a /health
    answering 500 and against the dead port earns the step; a report that leaves
    a run out, or could not run it (no network, or no end), earns nothing."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")

    def answer(request: dict[str, Any]) -> bytes:
        if request["op"] == "begin":
            return _line(BEGUN)
        if request == {"op": "observe", "name": "lesson09.dockerfile", "arguments": {}}:
            return _line({"value": dockerfile})
        if request["op"] == "observe" and request["name"] == "lesson09.healthcheck":
            return _line({"value": ran})
        return _line({"raised": f"not asked in this test: {request}"})

    remote, close = _fake_app(answer)
    try:
        result = judge_exercise("09.3", remote)
    finally:
        close()
    assert result.error is None, result.error
    assert [s.ok for s in result.steps] == [True] * 4 + [passes]
    assert result.steps[-1].text.startswith(RUN)
