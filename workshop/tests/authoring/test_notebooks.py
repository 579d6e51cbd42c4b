"""File cells: how a cell says it writes or deletes a managed file."""

import pytest

from workshop.authoring import notebooks
from workshop.authoring.notebooks import FileCell, Slot


class Cell:
    def __init__(self, source: str, cell_type: str = "code") -> None:
        self.source, self.cell_type = source, cell_type


def test_a_file_cell_source_reads_back_as_it_was_made() -> None:
    write = notebooks.file_cell_source("app/main.py", "x = 1\n")
    assert write == "%%save_file app/main.py\nx = 1\n"
    assert notebooks.parse_file_cell(write) == ("app/main.py", "x = 1\n")
    delete = notebooks.file_cell_source("app/old.py", None)
    assert delete == "%delete_file app/old.py"
    assert notebooks.parse_file_cell(delete) == ("app/old.py", None)


@pytest.mark.parametrize(
    "source",
    ["x = 1", "%%writefile app/main.py\nx = 1", "# %%save_file app/main.py", ""],
)
def test_other_cells_are_not_file_cells(source: str) -> None:
    assert notebooks.parse_file_cell(source) is None


def test_file_cells_are_walked_in_order_with_their_slots() -> None:
    cells = [
        Cell(notebooks.file_cell_source("app/a.py", "A = 1")),
        Cell("%%save_file app/b.py\nnot code", cell_type="markdown"),
        Cell("print('hello')"),
        Cell(notebooks.file_cell_source("app/a.py", None)),
        Cell(notebooks.file_cell_source("app/a.py", "A = 2")),
    ]
    found = list(notebooks.file_cells(cells))
    assert found == [
        FileCell("app/a.py", "A = 1", 0, 0),
        FileCell("app/a.py", None, 3, 1),
        FileCell("app/a.py", "A = 2", 4, 2),
    ]
    assert [cell.slot for cell in found] == [Slot("app/a.py", n) for n in range(3)]
    assert notebooks.bodies(found) == {
        Slot("app/a.py", 0): "A = 1",
        Slot("app/a.py", 2): "A = 2",
    }


def test_a_file_cell_writes_its_body_with_chosen_stubs() -> None:
    body = (
        "x = 1\n### BEGIN SOLUTION 01.1\ny = 2\n### STUB\n# y = 0\n### END SOLUTION\n\n"
    )
    cell = FileCell("app/a.py", body)
    assert cell.text() == "x = 1\ny = 2\n"
    assert cell.text(stubbed={"01.1"}) == "x = 1\ny = 0\n"
    assert cell.resolved(stubbed=True) == "x = 1\ny = 0"
