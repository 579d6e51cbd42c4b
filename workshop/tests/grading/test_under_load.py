"""A busy machine changes no grade.

On a two-core laptop running other work (a load of about 12), the slowest attack
of the batch, a walk over the file system, once ran out of its 8 s and its
row said "timed out" instead of what it found. The grading tests give a job its
limit stretched by how slow the machine is when the batch starts
(`timeouts.scaled`); this test loads the machine that much and grades that attack
and an honest attendee, who must get the rows a quiet machine gives.
"""

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from workshop import timeouts
from workshop.cli import main
from workshop.grading import isolation
from workshop.tests.conftest import ROOT
from workshop.tests.grading import attacks
from workshop.tests.grading.corpus import attendee_notebook, everything, save

KERNEL = isolation.detect(ROOT)
pytestmark = pytest.mark.skipif(
    not KERNEL.kernel,
    reason=f"needs bubblewrap that works here ({KERNEL.problem}); CI installs it",
)
BUSY = 10  # CPU-bound processes: with the grader's, a load of about 12 on 2 cores


@pytest.fixture
def loaded_machine() -> Iterator[None]:
    busy = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(BUSY)
    ]
    try:
        yield
    finally:
        for process in busy:
            process.kill()
        for process in busy:
            process.wait()


def test_a_loaded_machine_gets_the_grades_of_a_quiet_one(
    tmp_path: Path, loaded_machine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "submissions"
    fields = {"CHECKOUT": ROOT, "REPO": ROOT}
    walker = attendee_notebook(1, answers=attacks.answers("solutions-run", fields))
    corpus = [
        save(walker, folder / "solutions-run.ipynb"),
        save(attendee_notebook(1, everything(1)), folder / "honest.ipynb"),
    ]
    report = tmp_path / "grades.json"
    monkeypatch.chdir(ROOT)
    timeout = round(timeouts.scaled(attacks.TIMEOUT))

    main(
        [
            "grade",
            *("--isolation", "bwrap", "--timeout", str(timeout), "--jobs", "2"),
            *("--json", str(report), "--"),
            *map(str, corpus),
        ]
    )

    rows = {a["name"]: a for a in json.loads(report.read_text())["attendees"]}
    assert timeout >= 2 * attacks.TIMEOUT, (
        "the load did not show: the test proves nothing"
    )
    assert "notebooks found: 0" in rows["solutions-run"]["status"]
    assert "timed out" not in rows["solutions-run"]["status"]
    honest = rows["honest"]["exercises"]
    assert {e: o["state"] for e, o in honest.items()} == dict.fromkeys(
        everything(1), "pass"
    )
