# ruff: noqa: RUF001  (the table marks a missing exercise with an en dash)
"""`workshop grade` on a class of realistic submissions (lessons 01 and 02).

Each attendee is one case an instructor meets: a lesson done in a copy of its
notebook, a broken notebook among good ones, a syntax error, untouched and
tried exercises, a lesson not handed in, a notebook saved without cell ids, a
zip from `workshop submit`, code edited outside the exercises, a copied cell.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from workshop.authoring import notebooks
from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.handin import submit
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import attendee_notebook, everything, save, table_of

WRONG_VERSION = '    return {"status": "ok", "version": "1.0.0"}'
BROKEN_INFO = '@router.get("/info", summary="Describe this service"\ndef read_info():\n    return {}'
LONG_LINE = (
    "    return {"
    + '"status": "ok", ' * 6
    + '"version": request.app.state.settings.version}'
)

EXPECTED = """\
attendee   01.1   01.2  01.3  02.1  02.2  02.3  total  status
ada        ✓      ✓     ✓     ✓     ✓     ✓     6/6    graded · 02 from 02-schemas-Copy1.ipynb (2 copies)
bo         ✓      ✓     ✓     –     –     –     3/6    02-schemas.ipynb: broken notebook JSON
cy         ✓      ✗     ✓     –     –     –     2/6    syntax error: app/routers/meta.py, line 6: '(' was never closed
di         ·      ·     ·     –     –     –     0/6    graded
ed         ✗ 3/4  ·     ·     –     –     –     0/6    graded
fay        ✓      ✓     ✓     –     –     –     3/6    graded
gus        –      –     –     ✓     ·     ·     1/6    graded · Untitled1.ipynb is 02-schemas by its content (34 of 37 cells)
hal        ✓      ·     ✓     –     –     –     2/6    graded
ivy        –      –     –     ✓     ·     ·     1/6    graded · ⚑ code changed outside the exercises: app/schemas/items.py
jo         ✗ 3/4  ·     ·     –     –     –     0/6    graded · app/routers/health.py: the last of its copied cells was graded
pass rate  62%    38%   62%   100%  33%   33%"""


def _duplicated_health() -> notebooks.Node:
    """The lesson-01 notebook with its health.py cell copied below itself; the
    copy holds a wrong answer (and runs last, so it is what gets graded)."""
    notebook = attendee_notebook(1)
    index = next(
        i
        for i, c in enumerate(notebook.cells)
        if c.source.startswith("%%save_file app/routers/health.py")
    )
    copy = notebooks.Node(dict(notebook.cells[index]), id="my-copy")
    copy.source = (
        attendee_notebook(1, answers={"01.1": WRONG_VERSION}).cells[index].source
    )
    notebook.cells.insert(index + 1, copy)
    return notebook


def build_class(folder: Path, checkout: Path) -> list[Path]:
    one, two = everything(1), everything(2)
    save(attendee_notebook(1, one), folder / "ada" / "01-structure.ipynb")
    save(attendee_notebook(2), folder / "ada" / "02-schemas.ipynb")
    save(attendee_notebook(2, two), folder / "ada" / "02-schemas-Copy1.ipynb")
    save(attendee_notebook(1, one), folder / "bo" / "01-structure.ipynb")
    (folder / "bo" / "02-schemas.ipynb").write_text(
        notebooks.dumps(attendee_notebook(2, two))[:3000]
    )
    save(
        attendee_notebook(1, one - {"01.2"}, {"01.2": BROKEN_INFO}), folder / "cy.ipynb"
    )
    save(attendee_notebook(1), folder / "di-01-structure.ipynb")
    save(attendee_notebook(1, answers={"01.1": WRONG_VERSION}), folder / "ed.ipynb")
    save(attendee_notebook(1, one), folder / "fay" / "01-structure.ipynb")
    untitled = attendee_notebook(2, {"02.1"})
    for cell in untitled.cells:
        cell.pop("id", None)
    untitled.nbformat_minor = 4
    save(untitled, folder / "gus" / "Untitled1.ipynb")
    for other in (checkout / "notebooks").glob("*.ipynb"):
        if other.name[:2] not in ("00", "01"):
            other.unlink()  # hal only got as far as lesson 01
    save(
        attendee_notebook(1, {"01.1", "01.3"}),
        checkout / "notebooks" / "01-structure.ipynb",
    )
    hal = submit("hal", checkout, folder).archive
    save(
        attendee_notebook(
            2,
            {"02.1"},
            edit=lambda path, text: text.replace("max_length=1000", "max_length=10**9"),
        ),
        folder / "ivy.ipynb",
    )
    save(_duplicated_health(), folder / "jo.ipynb")
    names = ["ada", "bo", "cy.ipynb", "di-01-structure.ipynb", "ed.ipynb", "fay", "gus"]
    return [folder / name for name in names] + [
        hal,
        folder / "ivy.ipynb",
        folder / "jo.ipynb",
    ]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the workshop to grade from (others may be editing the real one)."""
    return make_sandbox(ROOT, tmp_path_factory.mktemp("instructor") / "workshop")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    tmp = tmp_path_factory.mktemp("class")
    return build_class(tmp / "submissions", make_sandbox(ROOT, tmp / "hal-checkout"))


@pytest.fixture(scope="module")
def graded(
    checkout: Path, corpus: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("graded")
    reports = tmp / "reports"
    reports.mkdir()
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
                *(
                    "--csv",
                    str(reports / "grades.csv"),
                    "--json",
                    str(reports / "grades.json"),
                ),
                *(
                    "--gradebook",
                    str(reports / "gradebook.csv"),
                    "--feedback",
                    str(reports / "feedback"),
                ),
                "--diff",
            ]
        )
    return {
        "status": status,
        "output": output.read_text(encoding="utf-8"),
        "reports": reports,
    }


def test_the_table_says_what_happened_to_each_attendee(graded: dict) -> None:
    assert table_of(graded["output"]) == EXPECTED


def test_a_broken_notebook_or_a_flag_makes_the_exit_status_1(graded: dict) -> None:
    assert graded["status"] == 1


def test_csv_json_and_gradebook_hold_the_same_grades(graded: dict) -> None:
    reports = graded["reports"]
    rows = {
        row["attendee"]: row
        for row in csv.DictReader((reports / "grades.csv").read_text().splitlines())
    }
    assert rows["ed"]["01.1"] == "fail" and rows["ed"]["01.2"] == "not started"
    assert rows["fay"]["02.1"] == "missing"
    data = json.loads((reports / "grades.json").read_text())
    attendees = {a["name"]: a for a in data["attendees"]}
    assert attendees.keys() == rows.keys()
    assert attendees["ada"]["graded"]["02"].endswith("02-schemas-Copy1.ipynb")
    assert attendees["bo"]["problems"] == ["02-schemas.ipynb: broken notebook JSON"]
    assert data["pass_rate"]["02.1"] == 1.0
    assert attendees["ed"]["exercises"]["01.1"]["steps"] == [3, 4]
    gradebook = (reports / "gradebook.csv").read_text().splitlines()
    assert gradebook[0] == "attendee,01.1,01.2,01.3,02.1,02.2,02.3,total"
    assert "ada,1,1,1,1,1,1,6" in gradebook
    assert "ed,0,0,0,0,0,0,0" in gradebook
    assert len(gradebook) == 11


def test_the_diff_shows_the_checks_words_and_the_graded_copy(graded: dict) -> None:
    output = graded["output"]
    ed = output.split("── ed · 01.1 (app/routers/health.py, ed.ipynb) ✗ 3/4\n")[
        1
    ].split("\n\n")[0]
    assert (
        "✗ the version is the one in the settings given to create_app (got '1.0.0', expected"
        in ed
    )
    assert '"version": "1.0.0"} | ' in ed
    jo = output.split("── jo · 01.1 (app/routers/health.py, jo.ipynb) ✗ 3/4\n")[
        1
    ].split("\n\n")[0]
    assert '"1.0.0"' in jo  # the copy, not the untouched original above it
    ivy = output.split(
        "── ivy · 02-schemas: code changed outside the exercises (app/schemas/items.py)\n"
    )[1]
    assert (
        "+Description = Annotated[str, Field(max_length=10**9)]" in ivy.split("\n\n")[0]
    )


def test_each_attendee_gets_a_feedback_file(graded: dict) -> None:
    folder = graded["reports"] / "feedback"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{n}.md"
        for n in ["ada", "bo", "cy", "di", "ed", "fay", "gus", "hal", "ivy", "jo"]
    )
    ed = (folder / "ed.md").read_text()
    assert ed.startswith(
        "# Feedback for ed\n\n| 01.1 | 01.2 | 01.3 | 02.1 | 02.2 | 02.3 | total | status |"
    )
    assert "| ✗ 3/4 | · | · | – | – | – | 0/6 | graded |" in ed
    assert "## 01.1 Report the version in the health check: not yet" in ed
    assert '-    return {"status": "ok", "version": "1.0.0"}' in ed
    assert (
        '+    return {"status": "ok", "version": request.app.state.settings.version}'
        in ed
    )
    assert "## 01.2 Describe the service at /api/v1/info: not started" in ed
    assert "## 02.1" not in ed  # lesson 02 was not handed in


@pytest.mark.parametrize(
    ("arguments", "headings"),
    [
        (["--failed"], ["cy · 01.2", "ed · 01.1", "jo · 01.1"]),
        (["--failed", "--attendee", "ed"], ["ed · 01.1"]),
        (
            ["--exercise", "02.1", "--attendee", "gus", "--attendee", "ivy"],
            ["gus · 02.1", "ivy · 02.1"],
        ),
        (
            ["--exercise", "02", "--attendee", "gus"],
            ["gus · 02.1", "gus · 02.2", "gus · 02.3"],
        ),
    ],
)
def test_diff_filters(
    arguments: list[str],
    headings: list[str],
    checkout: Path,
    corpus: list[Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(checkout)
    main(["grade", *map(str, corpus), *arguments])
    shown = [
        line.split(" (")[0].removeprefix("── ")
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("── ")
    ]
    assert [h for h in shown if "outside" not in h] == headings


def test_full_lines_in_the_diff(
    tmp_path: Path,
    checkout: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notebook = save(
        attendee_notebook(1, answers={"01.1": LONG_LINE}), tmp_path / "long.ipynb"
    )
    monkeypatch.chdir(checkout)
    main(["grade", str(notebook), "--diff", "--exercise", "01.1"])
    assert LONG_LINE in capsys.readouterr().out


def test_a_single_good_submission_exits_zero(
    tmp_path: Path,
    checkout: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notebook = save(
        attendee_notebook(1, {"01.2"}), tmp_path / "dana-01-structure.ipynb"
    )
    monkeypatch.chdir(checkout)
    assert main(["grade", str(notebook)]) == 0
    row = table_of(capsys.readouterr().out).splitlines()[1]
    assert row.split() == ["dana", "·", "✓", "·", "1/3", "graded"]
