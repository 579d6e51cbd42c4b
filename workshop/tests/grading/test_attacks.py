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

import csv
import io
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
from workshop.authoring import fold, notebooks
from workshop.authoring.fold import Lesson
from workshop.authoring.regions import solved_marker
from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main, parser
from workshop.grading import exports, isolation
from workshop.grading.alignment import solution as solution_lines
from workshop.grading.feedback import feedback as feedback_of
from workshop.grading.feedback import write_all as write_feedback
from workshop.grading.judge import JUDGED_OUTSIDE
from workshop.grading.reading import Unreadable, file_cells, parse_cells, read_cells
from workshop.grading.rows import Outcome, Row, State
from workshop.grading.submissions import Submission, collect
from workshop.grading.work import read_work
from workshop.tests.conftest import ROOT
from workshop.tests.grading import attacks
from workshop.tests.grading.corpus import (
    attendee_notebook,
    descendants,
    everything,
    fingerprint,
    processes,
    region_solution,
    save,
    table_of,
    zipped,
)

KERNEL = isolation.detect(ROOT)
pytestmark = pytest.mark.skipif(
    not KERNEL.kernel,
    reason=f"needs bubblewrap that works here ({KERNEL.problem}); CI installs it",
)
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
    timeout = round(timeouts.scaled(attacks.TIMEOUT))
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
    # 127.0.0.1 in a job is the job's own loopback: nobody listens there
    refused = ("exfiltrate: ConnectionRefusedError", "exfiltrate: OSError")
    assert any(said in status["secrets"] for said in refused), status["secrets"]


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
        ("stack-nonce", "⚑ wrote to the grader's result channel"),
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


def test_a_verdict_forged_inside_the_sandbox_earns_no_tick(graded: dict) -> None:
    """Lesson 01 is judged in the grader (workshop.grading.judge), so nothing
    the app does in its own process makes a verdict. On the grader that ran the
    checks beside the app, both rows had a ✓ and no ⚑: the nonce read from the
    stack wrote a passed result, the Checker's `expect` replaced on the object
    passed every step."""
    assert 1 in JUDGED_OUTSIDE
    outcomes = {
        a["name"]: a["exercises"]
        for a in graded["json"]["attendees"]
        if a["name"] in {"stack-nonce", "replace-checker"}
    }
    assert outcomes["stack-nonce"]["01.2"]["state"] == "void"
    assert outcomes["replace-checker"]["01.1"]["state"] == "fail"
    assert outcomes["replace-checker"]["01.1"]["detail"].startswith(
        'the body has a "version" field'
    )
    for name in outcomes:
        assert "✓" not in graded["rows"][name], name


# Both forgeries at once, written where an exercise's answer goes and hidden
# from the grader's reading of the code: replace the `expect` of every Checker
# in the process, then write passing results with the nonce read from the
# stack and end the job. The answer does nothing else, so an honest verdict is
# a failure.
FORGE = """\
import json as _json, os as _os
for _thing in __import__("g" + "c").get_objects():
    if type(_thing).__name__ == "Check" + "er":
        _thing.expect = lambda ok, text, got="": True
for _info in __import__("insp" + "ect").stack():
    _job = getattr(_info.frame, "f_" + "locals").get("job")
    if isinstance(getattr(_job, "nonce", None), str):
        for _exercise in _job.exercises:
            _step = {"ok": True, "text": "forged", "got": ""}
            _data = {"result": {"exercise": _exercise, "steps": [_step]}}
            _line = {"nonce": _job.nonce, "kind": "result", "data": _data}
            _os.write(3, (_json.dumps(_line) + "\\n").encode())
        _os._exit(0)
"""


def _forged_answer(ls: Lesson) -> tuple[str, str]:
    """The lesson's first exercise written in Python, and FORGE indented as its
    region is."""
    exercise = next(e for e in ls.exercises if ls.homes[e].path.endswith(".py"))
    lines = [line for line in region_solution(ls, exercise) if line.strip()]
    indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
    return exercise, "\n".join(indent + line for line in FORGE.splitlines())


def test_no_lesson_gives_a_tick_to_a_verdict_forged_beside_its_app(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every lesson is judged outside: the same forgery, in an exercise of each
    lesson, earns that exercise no tick."""
    forged: dict[str, str] = {}
    corpus = []
    for number, ls in sorted(lessons().items()):
        if number < 1 or not ls.exercises:
            continue
        exercise, code = _forged_answer(ls)
        forged[f"forge-{number:02d}"] = exercise
        notebook = attendee_notebook(number, answers={exercise: code})
        corpus.append(save(notebook, tmp_path / f"forge-{number:02d}.ipynb"))
    report = tmp_path / "grades.json"
    status, output = grade_here(
        checkout, ["--json", str(report), "--", *map(str, corpus)], capsys
    )
    assert status in (0, 1), output
    assert len(forged) == 10
    states = {
        a["name"]: a["exercises"][forged[a["name"]]]["state"]
        for a in json.loads(report.read_text())["attendees"]
    }
    assert set(states) == set(forged)
    assert all(state != "pass" for state in states.values()), states
    assert "garbage collector" not in output  # the judge, not the reading, held


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
    # 01.2 is judged outside: the app that exits on import fails its steps
    assert row.split()[1:9] == ["·", "✗", "0/4", "·", "–", "–", "–", "0/6"]
    assert "SystemExit: \\r\\x1b[2K" in row


# Attacks on the grader's inputs and reports (issue 27). Each failed on the
# grader before the change that made it pass: a crash with no report, a hang,
# a silent wrong row, or a report that a submission could forge.


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sandbox(ROOT, tmp_path_factory.mktemp("issue27") / "workshop")


def grade_here(
    checkout: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    cwd = Path.cwd()
    os.chdir(checkout)
    try:
        status = main(["grade", *args])
    finally:
        os.chdir(cwd)
    said = capsys.readouterr()
    return status, said.out + said.err


def rows_of(output: str) -> dict[str, str]:
    return {line.split()[0]: line for line in table_of(output).splitlines()[1:-1]}


def lessons() -> dict[int, Lesson]:
    return {ls.number: ls for ls in fold.lessons(ROOT)}


NONCE_FROM_THE_STACK = """\
import inspect, json, os
for info in inspect.stack():
    job = info.frame.f_locals.get("job")
    if hasattr(job, "nonce"):
        for data in ({"result": "x"}, {"result": {"exercise": ["01.1"]}}, {"what": 5}):
            for kind in ("result", "tamper", "violation"):
                line = {"nonce": job.nonce, "kind": kind, "data": data}
                os.write(3, (json.dumps(line) + "\\n").encode())
        break
"""


def test_a_record_of_the_wrong_shape_fails_only_its_own_row(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With the nonce read from the call stack, malformed records once raised
    outside every row's error boundary: no table, no report for anyone."""
    corpus = [
        save(
            attendee_notebook(1, answers={"01.2": NONCE_FROM_THE_STACK}),
            tmp_path / "shapes.ipynb",
        ),
        save(attendee_notebook(1, everything(1)), tmp_path / "honest.ipynb"),
    ]
    report = tmp_path / "grades.json"
    status, output = grade_here(
        checkout, [*map(str, corpus), "--json", str(report)], capsys
    )
    rows = rows_of(output)
    assert status == 1
    assert rows["honest"].split()[1:] == ["✓", "✓", "✓", "3/3", "graded"]
    assert "⚑ wrote to the grader's result channel" in rows["shapes"]
    assert "✓" not in rows["shapes"].split()[1:4]
    assert json.loads(report.read_text())["attendees"][1]["passed"] == 3


def test_a_file_name_that_is_not_utf8_does_not_stop_the_reports(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "submissions"
    stubs = save(attendee_notebook(1), tmp_path / "stubs" / "01-structure.ipynb")
    honest = save(attendee_notebook(1), folder / "honest.ipynb")
    odd = Path(os.fsdecode(bytes(folder) + b"/caf\xe9.zip"))
    zipped(stubs.parent, odd)
    out = {name: tmp_path / "out" / name for name in ("c.csv", "j.json", "g.csv")}
    out["f"] = tmp_path / "out" / "feedback"
    out["c.csv"].parent.mkdir()
    status, output = grade_here(
        checkout,
        [
            *("--csv", str(out["c.csv"]), "--json", str(out["j.json"])),
            *("--gradebook", str(out["g.csv"]), "--feedback", str(out["f"])),
            "--",
            str(odd),
            str(honest),
        ],
        capsys,
    )
    assert status == 0
    assert set(rows_of(output)) == {"caf-xe9", "honest"}
    assert "caf-xe9" in out["g.csv"].read_text(encoding="utf-8")
    assert "caf\\xe9.zip" in out["c.csv"].read_text(encoding="utf-8")
    assert json.loads(out["j.json"].read_text(encoding="utf-8"))["attendees"]
    assert sorted(p.name for p in out["f"].iterdir()) == ["caf-xe9.md", "honest.md"]


def test_a_report_that_cannot_be_written_is_named_and_the_others_are_written(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notebook = save(attendee_notebook(1), tmp_path / "honest.ipynb")
    report = tmp_path / "grades.json"
    nowhere = tmp_path / "no-such-folder" / "grades.csv"
    status, output = grade_here(
        checkout,
        ["--csv", str(nowhere), "--json", str(report), "--", str(notebook)],
        capsys,
    )
    assert status == 3  # the grader failed: neither 0 (clean) nor 1 (a row)
    assert "honest" in rows_of(output)
    assert json.loads(report.read_text())["attendees"][0]["name"] == "honest"
    assert f"could not write --csv {nowhere}: FileNotFoundError" in output


def test_a_fifo_in_a_folder_is_that_rows_problem_and_never_blocks(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "fifo"
    save(attendee_notebook(2), folder / "02-schemas.ipynb")
    fifo = folder / "01-structure.ipynb"
    os.mkfifo(fifo)
    found: list[list[Submission]] = []
    reader = threading.Thread(
        target=lambda: found.append(collect([folder], tmp_path / "scratch", lessons())),
        daemon=True,
    )
    reader.start()
    reader.join(120)  # no speed is measured: an unbounded read never returns
    if reader.is_alive():  # release the old grader's blocked read, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join()
        pytest.fail("reading a FIFO blocked the grader")
    (submission,) = found[0]
    assert submission.problems == [
        "01-structure.ipynb: not a regular file (a link, a folder, a FIFO, a device)"
    ]
    assert list(submission.candidates) == [2]


def test_a_link_to_another_attendees_notebook_earns_nothing(tmp_path: Path) -> None:
    ann = save(attendee_notebook(1, everything(1)), tmp_path / "ann" / "01.ipynb")
    eve = tmp_path / "eve"
    eve.mkdir()
    (eve / "01-structure.ipynb").symlink_to(ann)
    (eve / "02-schemas.ipynb").symlink_to(ROOT / "solutions" / "02-schemas.ipynb")
    (submission,) = collect([eve], tmp_path / "scratch", lessons())
    assert submission.candidates == {}
    assert len(submission.problems) == 2
    assert all("not a regular file" in p for p in submission.problems)


def test_a_link_to_dev_zero_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """(Not run against the old grader: it read /dev/zero until memory ran out.)"""
    folder = tmp_path / "zero"
    folder.mkdir()
    (folder / "01-structure.ipynb").symlink_to("/dev/zero")
    (submission,) = collect([folder], tmp_path / "scratch", lessons())
    assert submission.candidates == {}
    assert "not a regular file" in submission.problems[0]
    with pytest.raises(Unreadable, match="not a regular file"):
        read_cells(Path("/dev/zero"))


def test_counts_are_capped_before_anything_large_is_built(tmp_path: Path) -> None:
    """7 M empty cells once took 1.85 GB for one notebook."""
    many_values = json.dumps({"cells": [{}] * 150_000}).encode()
    with pytest.raises(Unreadable, match="more than 100000 JSON values"):
        parse_cells(many_values)
    cell = {"cell_type": "code", "source": "x = 1\n", "metadata": {}}
    with pytest.raises(Unreadable, match="more than 2000 cells"):
        parse_cells(json.dumps({"cells": [cell] * 2_001}).encode())
    long = {"cell_type": "code", "source": "\n" * 60_000}
    with pytest.raises(Unreadable, match="more than 50000 lines"):
        parse_cells(json.dumps({"cells": [long]}).encode())
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for n in range(2_001):
            out.writestr(f"x{n}.txt", "")
    (submission,) = collect([archive], tmp_path / "scratch", lessons())
    assert submission.problems == ["more than 2000 entries in the zip"]


def test_a_cell_too_large_to_line_up_is_that_rows_status(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """30,000 blank lines against a 40-line cell: difflib ran for minutes."""
    padded = attendee_notebook(
        1, edit=lambda path, text: "\n" * 30_000 + text if "main" in path else text
    )
    corpus = [
        save(padded, tmp_path / "padded.ipynb"),
        save(attendee_notebook(1), tmp_path / "honest.ipynb"),
    ]
    status, output = grade_here(checkout, ["--", *map(str, corpus)], capsys)
    rows = rows_of(output)
    assert status == 1
    assert "01: too large to compare (30" in rows["padded"]
    assert rows["honest"].split()[1:] == ["·", "·", "·", "0/3", "graded"]


def test_code_after_a_bare_carriage_return_is_not_hidden_from_the_diff() -> None:
    """Python ends a line at a bare \\r; a grader that split on \\n only read
    `# done\\rimport os` as one comment line, and a forge passed unflagged."""
    hidden = "# done\rimport os; os.system('touch /tmp/x')\n"
    notebook = attendee_notebook(
        1, {"01.1"}, edit=lambda path, text: hidden + text if "health" in path else text
    )
    cells = parse_cells(notebooks.dumps(notebook).encode())
    work = read_work(lessons()[1], file_cells(cells))
    (changed,) = work.changed.values()
    assert "+import os; os.system('touch /tmp/x')" in changed


def test_names_cannot_take_another_row_or_forge_the_reports(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "submissions"
    stub1, stub2 = attendee_notebook(1), attendee_notebook(2)
    corpus = [
        save(stub1, folder / "bo" / "01-structure.ipynb").parent,  # the real bo
        save(stub2, folder / "bo-02-schemas.ipynb"),  # eve's, named to take bo's row
        save(stub1, folder / "ann lee.ipynb"),
        save(stub1, folder / "ann-lee.ipynb"),
        save(stub1, folder / "pass rate.ipynb"),
        save(stub1, folder / '=HYPERLINK("http:__evil", "ok").ipynb'),
        save(stub1, folder / "@SUM(1+1)" / "01-structure.ipynb").parent,
    ]
    (folder / "@SUM(1+1)" / "=cmd.ipynb").write_text("{", encoding="utf-8")
    csv_file, gradebook = tmp_path / "grades.csv", tmp_path / "gradebook.csv"
    feedback_dir = tmp_path / "feedback"
    status, output = grade_here(
        checkout,
        [
            *("--csv", str(csv_file), "--gradebook", str(gradebook)),
            *("--feedback", str(feedback_dir), "--", *map(str, corpus)),
        ],
        capsys,
    )
    assert status == 1
    table = table_of(output).splitlines()
    assert [line for line in table if line.startswith("pass rate")] == [table[-1]]
    bo = [line for line in table if line.startswith("bo ")]
    assert len(bo) == 2 and all("rename one and grade again" in x for x in bo)
    assert not any(line.startswith("bo (2)") for line in table)
    ann = [line for line in table if line.startswith("ann-lee ")]
    assert len(ann) == 2 and all("rename one and grade again" in x for x in ann)
    assert "a name the report uses itself" in output
    for path in (csv_file, gradebook):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            assert not any(c.startswith(("=", "+", "-", "@")) for c in row), row
    written = {p.name for p in feedback_dir.iterdir()}
    assert "ann-lee.md" not in written and "bo.md" not in written


def test_feedback_shows_what_an_app_answered_and_never_renders_it() -> None:
    said = (
        '✗ /health answers its version (got \'<img src=x onerror="alert(1)">'
        " [claim your prize](http://evil.example) **PASSED**')"
    )
    row = Row(
        "mallory",
        Path("mallory.ipynb"),
        {"01.1": Outcome(State.FAILED, "x", (0, 1), (said,))},
    )
    text = feedback_of(["01.1"], row)
    assert "<img" not in text and "](http" not in text and "**PASSED**" not in text
    assert "claim your prize" in text  # shown, as text


def test_the_guide_puts_double_dash_before_the_submissions() -> None:
    """A file named `--isolation=fence` among `../submissions/*` once chose the
    isolation; after `--` it is only a file name."""
    guide = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    commands = [
        line for line in guide.splitlines() if line.startswith("workshop grade ")
    ]
    assert commands
    for command in commands:
        words = command.split()
        patterns = [w for w in words if "submissions" in w]
        assert patterns and "--" in words, command
        assert words.index("--") < words.index(patterns[0]), command
    args = parser().parse_args(["grade", "--", "--isolation=fence", "a.zip"])
    assert args.isolation == "auto"
    assert args.submissions == [Path("--isolation=fence"), Path("a.zip")]


SHARED_DEV = """\
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
did = ["seen: " + ",".join(sorted(os.listdir("/dev/shm")))]
def write(path, size):
    fd = libc.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    if fd < 0:
        return f"open {{ctypes.get_errno()}}"
    try:
        while size > 0:
            size -= os.write(fd, b"x" * min(size, 2**20))
        return "ok"
    except OSError as error:
        return f"write {{error.errno}}"
did.append("shm: " + write(b"/dev/shm/left-by-{NAME}", 2**20))
did.append("shm big: " + write(b"/dev/shm/big-{NAME}", 64 * 2**20))
did.append("dev: " + write(b"/dev/planted-{NAME}", 1))
did.append(f"fallocate: {{libc.fallocate(1, 1, 0, 64 * 2**20)}}")
raise RuntimeError("ATTACK " + "; ".join(did))
"""


def test_each_job_has_its_own_small_dev_shm_a_read_only_dev_and_a_pipe_for_output(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """bubblewrap's /dev is one tmpfs of half the memory, shared by every job of
    a batch; and fallocate on an output file went past the file-size limit."""
    corpus = [
        save(
            attendee_notebook(1, answers={"01.2": SHARED_DEV.format(NAME=name)}),
            tmp_path / f"{name}.ipynb",
        )
        for name in ("first", "second")
    ]
    report = tmp_path / "grades.json"
    grade_here(
        checkout,
        ["--jobs", "1", "--json", str(report), "--", *map(str, corpus)],
        capsys,
    )
    said = {a["name"]: a["status"] for a in json.loads(report.read_text())["attendees"]}
    for name in ("first", "second"):
        assert "ATTACK seen: ;" in said[name], said[name]  # nothing of the other
        assert "shm: ok" in said[name]
        assert "shm big: write 28" in said[name]  # ENOSPC: 16 MiB of its own
        assert "dev: open 30" in said[name]  # EROFS
        assert "fallocate: -1" in said[name]  # a pipe has no room to allocate


def test_lone_surrogates_in_what_an_app_answered_reach_every_report(
    tmp_path: Path,
) -> None:
    """JSON lets an app answer "\\ud800"; written as it is, it stopped the reports."""
    said = "✗ /health answers its version (got '\ud800\udcff')"
    row = Row(
        "mallory",
        Path(os.fsdecode(b"mallory-\xff.ipynb")),
        {"01.1": Outcome(State.FAILED, said, (0, 1), (said,))},
        problems=[said],
    )
    for text in (exports.to_json(["01.1"], [row]), exports.to_csv(["01.1"], [row])):
        assert "ud800" in text and "mallory-" in text  # written, escaped
        text.encode("utf-8")  # raises on a lone surrogate
    exports.to_gradebook(["01.1"], [row]).encode("utf-8")
    (written,) = write_feedback(tmp_path, ["01.1"], [row])
    assert "ud800" in written.read_text(encoding="utf-8")


def test_the_solution_without_the_solve_mark_is_flagged(
    checkout: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Deleting the comment `workshop solve` leaves turned `s` into `✓`."""
    solved = "\n".join(solution_lines(lessons()[1], "01.1"))
    marked = f"{solved}\n{solved_marker('01.1')}"
    corpus = [
        save(
            attendee_notebook(1, answers={"01.1": solved}), tmp_path / "unmarked.ipynb"
        ),
        save(attendee_notebook(1, answers={"01.1": marked}), tmp_path / "marked.ipynb"),
        save(attendee_notebook(1, {"01.1"}), tmp_path / "typed.ipynb"),
    ]
    status, output = grade_here(checkout, ["--", *map(str, corpus)], capsys)
    rows = rows_of(output)
    assert status == 1
    assert "⚑ 01.1 is the solution line for line, without the mark" in rows["unmarked"]
    assert rows["marked"].split()[1:6] == ["s", "·", "·", "0/3", "graded"]
    assert rows["typed"].split()[1:] == ["✓", "·", "·", "1/3", "graded"]
