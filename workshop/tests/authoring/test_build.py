from pathlib import Path

from workshop.attendee.catchup import catch_up
from workshop.authoring import notebooks
from workshop.authoring.build import build_files, build_notebooks, expected
from workshop.authoring.regions import BEGIN, END
from workshop.project import solution_notebooks
from workshop.tests.conftest import snapshot


def test_the_committed_attendee_notebooks_are_a_fresh_build(root: Path) -> None:
    for path, text in expected(root).items():
        assert path.read_text(encoding="utf-8") == text, path.name


def test_build_is_deterministic(workshop_copy: Path) -> None:
    first = {p: p.read_bytes() for p in (workshop_copy / "notebooks").glob("*.ipynb")}
    for path in first:
        path.unlink()
    build_notebooks(workshop_copy)
    second = {p: p.read_bytes() for p in (workshop_copy / "notebooks").glob("*.ipynb")}
    assert second == first
    assert build_notebooks(workshop_copy) == []  # unchanged sources: nothing rewritten


def test_attendee_notebooks_have_no_outputs_and_no_solutions(root: Path) -> None:
    for source in solution_notebooks(root):
        notebook = notebooks.read(root / "notebooks" / source.name)
        solution = notebooks.read(source)
        assert [c.id for c in notebook.cells] == [c.id for c in solution.cells]
        for cell in notebook.cells:
            assert BEGIN not in cell.source and END not in cell.source
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None


def test_solutions_are_executed_with_outputs(root: Path) -> None:
    for source in solution_notebooks(root):
        code = [c for c in notebooks.read(source).cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), source.name
        assert any(c.outputs for c in code), source.name


def test_build_files_brings_back_the_final_state(workshop_copy: Path) -> None:
    before = snapshot(workshop_copy)
    catch_up(workshop_copy, 1)
    build_files(workshop_copy)
    after = {k: v for k, v in snapshot(workshop_copy).items() if ".workshop" not in k}
    assert after == before
