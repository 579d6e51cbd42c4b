# ruff: noqa: RUF001  (the table marks a missing exercise with an en dash)
"""`workshop grade` on a class of synthetic submissions, good and bad.

The corpus is built from lesson 01 only (its solution and its attendee copy), so
adding lessons does not change the expected table.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from workshop.authoring import notebooks
from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main

ROOT = Path(__file__).resolve().parents[3]
LESSON = "01-structure"
HANGS = "while True:\n    pass\n"
PRINTS = 'print("x" * 3_000_000)\n'
RAISES = "1 / 0\n"

EXPECTED = """\
attendee        01.1  01.2  01.3  total  status
solved          ✓     ✓     ✓     3/3    graded
stubs           ✗     ✗     ✗     0/3    graded
partial         ✓     ✗     –     1/3    graded
notes           –     –     –     0/3    not a notebook
broken          –     –     –     0/3    broken notebook JSON
other-course    –     –     –     0/3    not from this workshop
no-exercises    –     –     –     0/3    no exercises found
raises          ✗     ✗     ✗     0/3    raised on import: ZeroDivisionError: division by zero (app/routers/health.py, line 2)
hangs           ✗     ✗     ✗     0/3    timed out after 10 s
chatty          ✓     ✓     ✓     3/3    too much output
escapes         ✗     ✗     ✗     0/3    tried to write outside its sandbox
save-elsewhere  –     –     –     0/3    writes outside the workshop
zipped          ✓     ✓     ✓     3/3    graded
checkout        ✓     ✗     ✗     1/3    graded
solved (2)      ✓     ✓     ✓     3/3    graded
pass rate       40%   27%   27%"""


def attendee_notebook(
    solved: set[str], edit: Callable[[str, str], str] | None = None
) -> notebooks.Node:
    """The attendee copy of lesson 01 with the `solved` exercises done, as an
    attendee would type them (no region markers); `edit(path, body)` may change
    a file cell further."""
    solution = notebooks.read(ROOT / "solutions" / f"{LESSON}.ipynb")
    notebook = notebooks.read(ROOT / "notebooks" / f"{LESSON}.ipynb")
    assert len(notebook.cells) == len(solution.cells)
    for cell in notebooks.file_cells(solution.cells):
        text = cell.resolved(stubbed={"01.1", "01.2", "01.3"} - solved)
        text = edit(cell.path, text) if edit else text
        notebook.cells[cell.index].source = notebooks.file_cell_source(cell.path, text)
    return notebook


def prepend_to_health(code: str) -> Callable[[str, str], str]:
    def edit(path: str, body: str) -> str:
        if path != "app/routers/health.py":
            return body
        head, _, rest = body.partition("\n\n")  # after the module docstring
        return f"{head}\n{code}\n{rest}"

    return edit


def code_cell(cell_id: str, source: str) -> dict[str, object]:
    return {
        "cell_type": "code",
        "id": cell_id,
        "source": source,
        "metadata": {},
        "outputs": [],
        "execution_count": None,
    }


def save(notebook: notebooks.Node, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(notebooks.dumps(notebook), encoding="utf-8")
    return path


def build_corpus(folder: Path, outside: Path) -> list[Path]:
    everything = {"01.1", "01.2", "01.3"}
    corpus = [
        save(attendee_notebook(everything), folder / "solved.ipynb"),
        save(attendee_notebook(set()), folder / f"stubs-{LESSON}.ipynb"),
    ]
    partial = attendee_notebook({"01.1"})
    partial.cells = [
        c
        for c in partial.cells
        if not c.source.startswith(notebooks.file_cell_source("app/main.py", ""))
    ]
    corpus.append(save(partial, folder / "partial.ipynb"))
    corpus.append(folder / "notes.txt")
    corpus[-1].write_text("my notes\n")
    corpus.append(folder / "broken.ipynb")
    corpus[-1].write_text(notebooks.dumps(attendee_notebook(everything))[:5000])
    other = notebooks.Node(nbformat=4, nbformat_minor=5, metadata={}, cells=[])
    other.cells = [code_cell(f"c{n}", "import pandas as pd") for n in range(3)]
    corpus.append(save(other, folder / "other-course.ipynb"))
    gone = attendee_notebook(everything)
    gone.cells = [c for c in gone.cells if not notebooks.parse_file_cell(c.source)]
    corpus.append(save(gone, folder / "no-exercises.ipynb"))
    for name, code in (("raises", RAISES), ("hangs", HANGS), ("chatty", PRINTS)):
        notebook = attendee_notebook(everything, prepend_to_health(code))
        corpus.append(save(notebook, folder / f"{name}.ipynb"))
    escape = f"open({str(outside)!r}, 'w').write('escaped')\n"
    corpus.append(
        save(
            attendee_notebook(everything, prepend_to_health(escape)),
            folder / "escapes.ipynb",
        )
    )
    elsewhere = attendee_notebook(everything)
    elsewhere.cells.append(
        code_cell("mine", notebooks.file_cell_source(str(outside), "x = 1"))
    )
    corpus.append(save(elsewhere, folder / "save-elsewhere.ipynb"))
    zipped = save(
        attendee_notebook(everything), folder / "zip" / "zipped" / f"{LESSON}.ipynb"
    )
    with zipfile.ZipFile(folder / "zipped.zip", "w") as archive:
        archive.write(zipped, f"zipped/{LESSON}.ipynb")
    corpus.append(folder / "zipped.zip")
    checkout = folder / "checkout"  # a whole clone: solutions/ must not count
    shutil.copytree(ROOT / "solutions", checkout / "solutions")
    save(attendee_notebook({"01.1"}), checkout / "notebooks" / f"{LESSON}.ipynb")
    shutil.copy(ROOT / "notebooks" / "00-welcome.ipynb", checkout / "notebooks")
    # A stray copy of the same lesson: the notebook named like the lesson wins.
    save(attendee_notebook(set()), checkout / "notebooks" / "01-structure-Copy1.ipynb")
    corpus.append(checkout)
    corpus.append(
        save(attendee_notebook(everything), folder / "again" / "solved.ipynb")
    )
    return corpus


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Grade the corpus once, from a copy of the checkout (others may be editing
    the real one meanwhile), and keep everything the tests look at."""
    tmp = tmp_path_factory.mktemp("grade")
    checkout = make_sandbox(ROOT, tmp / "instructor")
    outside = tmp / "escaped.txt"
    corpus = build_corpus(tmp / "class", outside)
    before = fingerprint(checkout)
    output = tmp / "output.txt"
    with (
        output.open("w", encoding="utf-8") as stream,
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.chdir(checkout)
        mp.setattr("sys.stdout", stream)
        status = main(
            [
                "grade",
                *map(str, corpus),
                *("--jobs", "2", "--timeout", "10", "--diff"),
                *("--csv", str(tmp / "grades.csv"), "--json", str(tmp / "grades.json")),
            ]
        )
    return {
        "status": status,
        "output": output.read_text(encoding="utf-8"),
        "before": before,
        "after": fingerprint(checkout),
        "outside": outside,
        "csv": list(
            csv.DictReader((tmp / "grades.csv").read_text("utf-8").splitlines())
        ),
        "json": json.loads((tmp / "grades.json").read_text(encoding="utf-8")),
    }


def test_the_table_has_a_row_per_attendee_and_a_pass_rate(graded: dict) -> None:
    table = graded["output"].split("\n\n")[0]
    assert table == EXPECTED


def test_the_exit_status_says_some_submissions_could_not_be_graded(
    graded: dict,
) -> None:
    assert graded["status"] == 1


def test_grading_changes_nothing_in_the_checkout(graded: dict) -> None:
    assert graded["after"] == graded["before"]
    assert not graded["outside"].exists()


def test_csv_and_json_hold_the_same_grades(graded: dict) -> None:
    rows = {row["attendee"]: row for row in graded["csv"]}
    assert rows["partial"]["01.1"] == "pass"
    assert rows["partial"]["01.3"] == "missing"
    assert rows["hangs"]["status"] == "timed out after 10 s"
    attendees = {a["name"]: a for a in graded["json"]["attendees"]}
    assert attendees.keys() == rows.keys()
    assert attendees["stubs"]["exercises"]["01.1"]["state"] == "fail"
    assert "version" in attendees["stubs"]["exercises"]["01.1"]["detail"]
    assert graded["json"]["pass_rate"]["01.1"] == pytest.approx(6 / 15)


def test_diff_shows_attendee_code_beside_the_solution(graded: dict) -> None:
    output = graded["output"]
    assert (
        "── solved · 01.1 (app/routers/health.py) ✓\n   (same as the solution)"
        in output
    )
    stub = output.split("── stubs · 01.3 (app/main.py) ✗\n")[1].split("\n\n")[0]
    todo, title = stub.splitlines()[1:3]  # the stub's two lines beside the solution's
    assert todo.split()[:3] == ["#", "TODO", "(exercise"]
    assert todo.split()[-2:] == ["|", "title=settings.name,"]
    assert title.split() == ['title="FastAPI', "in", 'Production",', "|"]
    assert "── partial · 01.3 (app/main.py) –\n   (the cell is missing)" in output


def test_a_single_good_submission_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = save(attendee_notebook({"01.2"}), tmp_path / f"dana-{LESSON}.ipynb")
    monkeypatch.chdir(ROOT)
    assert main(["grade", str(notebook)]) == 0
    assert capsys.readouterr().out.splitlines()[1].split() == [
        "dana",
        "✗",
        "✓",
        "✗",
        "1/3",
        "graded",
    ]
