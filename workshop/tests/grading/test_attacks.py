"""Hostile submissions, graded under bubblewrap beside honest ones.

One batch holds every attack of workshop.tests.grading.attacks, bad inputs
and three honest attendees. Afterwards: the instructor's checkout, the grader's
own code and the instructor's home are byte for byte as before, no process of
the batch is alive, no secret or solution reached a submission (nor the
network), no exercise an attack did not solve has a ✓, the tampering is
flagged, the honest rows are right, and the table was printed.
"""

# ruff: noqa: RUF001  (the table marks a missing exercise with an en dash)
from __future__ import annotations

import json
import os
import secrets
import socket
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import workshop
from workshop import timeouts
from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.grading import isolation
from workshop.tests.conftest import ROOT
from workshop.tests.grading import attacks
from workshop.tests.grading.corpus import (
    attendee_notebook,
    descendants,
    everything,
    fingerprint,
    processes,
    save,
    table_of,
)

KERNEL = isolation.detect(ROOT)
pytestmark = pytest.mark.skipif(
    not KERNEL.kernel,
    reason=f"needs bubblewrap that works here ({KERNEL.problem}); CI installs it",
)
TIMEOUT = 8  # on an idle machine; stretched by its slowness when the batch starts
HONEST = {
    "honest-solved": "✓ ✓ ✓ – – – 3/6 graded",
    "honest-partial": "✓ · · – – – 1/6 graded",
    "honest-stubs": "· · · – – – 0/6 graded",
    "honest-02": "– – – ✓ ✓ ✓ 3/6 graded",  # its lesson's files, and their
}  # solutions of lesson 01, are in the zygote when the attacks run
SOLVED_BY_THE_ATTACK = {"edits-outside": {"01.1"}}


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on the instructor's loopback, keeping whatever reaches it."""
    server = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def serve() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                received.append(connection.recv(65536))

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1], received
    server.close()


@pytest.fixture(scope="module")
def graded(
    tmp_path_factory: pytest.TempPathFactory, listener: tuple[int, list[bytes]]
) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("attacks")
    checkout = make_sandbox(ROOT, tmp / "instructor" / "workshop")
    markers = [
        f"MARKER-{name}-{secrets.token_hex(8)}"
        for name in ("home", "env", "app", "answer")
    ]
    home = tmp / "instructor" / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".netrc").write_text(f"machine example.org password {markers[0]}\n")
    (home / ".ssh" / "id_ed25519").write_text(markers[0])
    solution = checkout / "solutions" / "01-structure.ipynb"
    solution.write_text(
        solution.read_text().replace("# 01 ·", f"# 01 · {markers[3]}", 1)
    )
    canary = tmp / "canary"
    fields = {
        "CHECKOUT": checkout,
        "REPO": ROOT,
        "GRADER_CODE": Path(workshop.__file__).parent / "checking.py",
        "HOME": home,
        "CANARY": canary,
        "GRADER_PID": os.getpid(),
        "PORT": listener[0],
        "VERSION_DIGITS": int("abcdef", 16) % 97,
    }
    folder = tmp / "submissions"
    corpus = []
    for name in attacks.ALL:
        notebook = attendee_notebook(1, answers=attacks.answers(name, fields))
        corpus.append(save(notebook, folder / f"{name}.ipynb"))
    outside = f"import os\nos.system('touch {canary}')\n"
    corpus.append(
        save(
            attendee_notebook(
                1,
                {"01.1"},
                edit=lambda path, text: (
                    outside + text if path.endswith("health.py") else text
                ),
            ),
            folder / "edits-outside.ipynb",
        )
    )
    with zipfile.ZipFile(folder / "zip-slip.zip", "w") as archive:
        notebook = attendee_notebook(1, everything(1))
        archive.writestr("../../../escaped-by-zip.ipynb", json.dumps(notebook))
    corpus.append(folder / "zip-slip.zip")
    corpus += [
        save(attendee_notebook(1, everything(1)), folder / "honest-solved.ipynb"),
        save(attendee_notebook(1, {"01.1"}), folder / "honest-partial.ipynb"),
        save(attendee_notebook(1), folder / "honest-stubs.ipynb"),
        save(attendee_notebook(2, everything(2)), folder / "honest-02.ipynb"),
    ]
    before = {
        "checkout": fingerprint(checkout),
        "grader": fingerprint(Path(workshop.__file__).parent),
        "home": fingerprint(home),
    }
    output = tmp / "output.txt"
    report = tmp / "grades.json"
    timeout = round(timeouts.scaled(TIMEOUT))
    with (
        output.open("w", encoding="utf-8") as stream,
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.chdir(checkout)
        mp.setattr("sys.stdout", stream)
        mp.setenv("HOME", str(home))
        mp.setenv("INSTRUCTOR_TOKEN", markers[1])
        mp.setenv("APP_SECRET_KEY", markers[2])
        status = main(
            [
                "grade",
                *map(str, corpus),
                *("--isolation", "bwrap", "--timeout", str(timeout), "--jobs", "2"),
                *("--json", str(report), "--diff"),
            ]
        )
    text = output.read_text(encoding="utf-8")
    return {
        "status": status,
        "timeout": timeout,
        "output": text,
        "table": table_of(text),
        "rows": {line.split()[0]: line for line in table_of(text).splitlines()[1:-1]},
        "json": json.loads(report.read_text(encoding="utf-8")),
        "before": before,
        "after": {
            "checkout": fingerprint(checkout),
            "grader": fingerprint(Path(workshop.__file__).parent),
            "home": fingerprint(home),
        },
        "markers": markers,
        "canary": canary,
        "tmp": tmp,
        "received": listener[1],
    }


def test_the_batch_prints_its_table_and_says_some_rows_need_a_look(
    graded: dict,
) -> None:
    assert graded["status"] == 1
    assert graded["output"].startswith("Isolation: bubblewrap")
    assert set(graded["rows"]) == {*attacks.ALL, "edits-outside", "zip-slip", *HONEST}


def test_honest_submissions_beside_the_attacks_are_graded_right(graded: dict) -> None:
    for name, expected in HONEST.items():
        assert graded["rows"][name].split() == [name, *expected.split()]
    assert graded["rows"]["zip-slip"].split()[1:8] == [
        "✓",
        "✓",
        "✓",
        "–",
        "–",
        "–",
        "3/6",
    ]


def test_the_instructors_checkout_code_and_home_are_unchanged(graded: dict) -> None:
    assert graded["after"] == graded["before"]
    assert not graded["canary"].exists()
    assert not list(graded["tmp"].rglob("escaped-by-zip.ipynb"))


def test_no_process_of_the_batch_survives(graded: dict) -> None:
    assert processes("sleep 975") == []
    assert descendants(os.getpid()) == set()  # no bwrap, zygote or job left


def test_no_secret_or_solution_reaches_a_submission(graded: dict) -> None:
    everything_said = graded["output"] + json.dumps(graded["json"])
    for marker in graded["markers"]:
        assert marker not in everything_said
    assert graded["received"] == []
    secrets_row = graded["json"]["attendees"]
    status = {a["name"]: a["status"] for a in secrets_row}
    assert "searched" in status["secrets"]  # it ran, and said what it found
    assert "notebooks found: 0" in status["solutions-run"]
    assert "solutions in memory: 0" in status["memory-search"]
    assert "exfiltrate: OSError" in status["secrets"]


def test_no_unsolved_exercise_gets_a_tick(graded: dict) -> None:
    for name in [*attacks.ALL, "edits-outside"]:
        outcomes = next(a for a in graded["json"]["attendees"] if a["name"] == name)[
            "exercises"
        ]
        ticked = {e for e, o in outcomes.items() if o["state"] == "pass"}
        assert ticked == SOLVED_BY_THE_ATTACK.get(name, set()), name


@pytest.mark.parametrize(
    ("name", "says"),
    [
        (
            "replace-expect",
            "⚑ changed the grader's checks: workshop.checking.Checker.expect",
        ),
        ("hardcoded-random", "⚑ changed the grader's checks: secrets.token_hex"),
        ("patch-output", "⚑ changed the grader's checks: json.dumps"),
        ("fake-results", "⚑ wrote to the grader's result channel"),
        ("duplicate-process", "⚑ more than one process reported results"),
        ("replace-expect", "⚑ 01.2 reaches for ctypes, the workshop package"),
        (
            "edits-outside",
            "⚑ code changed outside the exercises: app/routers/health.py",
        ),
        ("endless-loop", "timed out after {timeout} s"),
        ("symlink-write", "tried to write outside its sandbox"),
        ("subprocess", "tried to write outside its sandbox"),
        ("zip-slip", "graded"),
    ],
)
def test_each_attack_is_named_in_its_row(graded: dict, name: str, says: str) -> None:
    assert says.format(timeout=graded["timeout"]) in graded["rows"][name]


def test_tampered_results_are_not_trusted(graded: dict) -> None:
    for name in (
        "replace-expect",
        "hardcoded-random",
        "fake-results",
        "duplicate-process",
    ):
        marks = graded["rows"][name].split()[1:4]
        assert "✓" not in marks and "⚑" in marks, name


def test_the_kernel_stopped_what_the_audit_hook_cannot(graded: dict) -> None:
    status = {a["name"]: a["status"] for a in graded["json"]["attendees"]}
    assert "remount /: (-1, 1)" in status["remount"]  # EPERM
    assert "remount / rw: (-1, 1)" in status["remount"]
    assert "write /usr: -1" in status["remount"]
    assert "ctypes write grader code: -1" in status["symlink-write"]
    assert "ctypes canary: -1" in status["symlink-write"]
    # the grading Python's folders are shared read-only, wherever they are
    assert "ctypes write python: -1" in status["symlink-write"]
    assert not (Path(sys.prefix) / "pwned.pth").exists()
    assert "kill grader: ProcessLookupError" in status["kill-grader"]
    forked = next(a for a in graded["json"]["attendees"] if a["name"] == "fork-bomb")
    said = " ".join(forked["exercises"]["01.1"]["messages"])
    count = int(said.split("got 'forked ")[1].split("'")[0])
    assert 0 < count < 300, said  # the process limit held


def test_a_forged_message_cannot_redraw_the_table(graded: dict) -> None:
    assert "\x1b" not in graded["output"] and "\r" not in graded["output"]
    row = graded["rows"]["forge-table"]
    assert row.split()[1:8] == ["·", "✗", "·", "–", "–", "–", "0/6"]
    assert "SystemExit: \\r\\x1b[2K" in row
