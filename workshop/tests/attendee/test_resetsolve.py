"""`workshop reset` and `workshop solve`: one exercise back to its stub, or solved,
in the attendee's notebook and file, backed up first, and never a ✓ for `solve`."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop.attendee.catchup import catch_up
from workshop.attendee.feedback import check_in_child
from workshop.attendee.resetsolve import reset, solve
from workshop.authoring import notebooks
from workshop.authoring.fold import managed_files
from workshop.authoring.regions import solved_marker
from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.project import WorkshopError
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import table_of

ITEMS = "app/schemas/items.py"
EDIT = "# my own note, kept\n"


@pytest.fixture
def attendee(tmp_path: Path) -> Path:
    """A checkout at the start of lesson 03, lesson 02's cells as the attendee
    left them: every exercise a stub, and a line of their own in items.py's cell."""
    root = make_sandbox(ROOT, tmp_path / "workshop")
    catch_up(root, 3)
    path = root / "notebooks" / "02-schemas.ipynb"
    notebook = notebooks.read(path)
    for cell in notebook.cells:
        if cell.source.startswith(f"%%save_file {ITEMS}\n"):
            cell.source = cell.source.replace(
                "class ItemCreate", EDIT + "class ItemCreate"
            )
    path.write_text(notebooks.dumps(notebook), encoding="utf-8")
    return root


def cell_of(root: Path, path: str) -> str:
    notebook = notebooks.read(root / "notebooks" / "02-schemas.ipynb")
    return next(
        c.source for c in notebook.cells if c.source.startswith(f"%%save_file {path}\n")
    )


def test_solve_fills_the_region_and_keeps_the_rest(attendee: Path) -> None:
    before = cell_of(attendee, ITEMS)
    said = solve(attendee, "02.2")
    assert said.startswith("Exercise 02.2 is solved in 02-schemas.ipynb and " + ITEMS)
    after = cell_of(attendee, ITEMS)
    assert solved_marker("02.2") in after and EDIT in after and before != after
    assert (attendee / ITEMS).read_text().count(solved_marker("02.2")) == 1
    assert check_in_child(attendee, "02.2").passed
    backups = list((attendee / ".workshop" / "backups").glob("*before-solve-02.2"))
    assert len(backups) == 1
    assert EDIT.strip() in (backups[0] / "notebooks" / "02-schemas.ipynb").read_text()


def test_reset_puts_the_stub_back_and_keeps_the_rest(attendee: Path) -> None:
    solve(attendee, "02.2")
    said = reset(attendee, "02.2")
    assert "back to its stub" in said
    cell = cell_of(attendee, ITEMS)
    assert "TODO (exercise 02.2)" in cell and EDIT in cell
    assert solved_marker("02.2") not in cell
    assert not check_in_child(attendee, "02.2").passed


def test_an_unknown_exercise_is_refused(attendee: Path) -> None:
    with pytest.raises(WorkshopError, match=r"There is no exercise 02\.9"):
        solve(attendee, "02.9")


def test_the_grader_shows_a_solved_exercise_as_solved_by_the_tool(
    attendee: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    solve(attendee, "02.2")
    monkeypatch.chdir(ROOT)
    main(["grade", str(attendee / "notebooks" / "02-schemas.ipynb")])
    row = table_of(capsys.readouterr().out).splitlines()[1].split()
    assert row[1:4] == ["·", "s", "·"], row  # 02.1 and 02.3 still stubs


def test_solve_right_after_a_checkpoint_writes_what_the_exercise_imports(
    tmp_path: Path,
) -> None:
    """06.1's file imports the request-id middleware an earlier cell of 06
    writes; right after `workshop checkpoint 06` that cell has not run. A file
    the attendee wrote by hand is kept."""
    root = make_sandbox(ROOT, tmp_path / "workshop")
    catch_up(root, 6)
    mine = root / "app" / "middleware" / "__init__.py"
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text('"""My own middleware package."""\n')
    assert not (root / "app" / "middleware" / "request_id.py").exists()

    said = solve(root, "06.1")

    assert "app/middleware/request_id.py" in said
    assert "app/problems.py" in said
    assert (root / "app" / "middleware" / "request_id.py").is_file()
    assert mine.read_text() == '"""My own middleware package."""\n'
    assert check_in_child(root, "06.1").passed


def test_a_region_in_a_definitions_cell_is_reset_and_solved_in_the_file(
    tmp_path: Path,
) -> None:
    """07.1 lives in a `--definitions` cell: the stub or the solution goes into the
    file as the fold writes it, and the cell keeps its header."""
    root = make_sandbox(ROOT, tmp_path / "workshop")
    catch_up(root, 8)  # lesson 07's cells have run, 07.1 solved
    common = "app/schemas/common.py"
    reset(root, "07.1")
    stub = managed_files(ROOT, through=7, stubbed={"07.1"}).texts()[common]
    assert (root / common).read_text() == stub
    solve(root, "07.1")
    solved = (root / common).read_text()
    assert solved.count(solved_marker("07.1")) == 1
    assert (
        solved.replace(f"    {solved_marker('07.1')}\n", "")
        == (managed_files(ROOT, through=7).texts()[common])
    )
    notebook = notebooks.read(root / "notebooks" / "07-testing.ipynb")
    header = f"%%save_file {common} --definitions\n"
    # the cell that first writes InputModel, and the exercise's, beside its check
    assert sum(c.source.startswith(header) for c in notebook.cells) == 2
