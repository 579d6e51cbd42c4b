"""Check 09.3 graded: the image's HEALTHCHECK is run in the sandbox, against a
live and a dead port on the job's own loopback, not taken on trust.

A job's network namespace has nothing but a loopback, which the grader brings
up; no process may start there, so the command's Python runs in the check's
process, importing only what the image has. Nothing of that may be reported as
the attendee trying to escape.
"""

from __future__ import annotations

import json

import pytest

from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.grading import isolation
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import attendee_notebook, save
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
