"""Each exercise's stub sits with its exercise: an attendee never scrolls for it.

Every cell holding a region of exercise NN.k lies between the exercise's heading
and its `check("NN.k")` cell, and the cell right above the check holds one. A
region in a file that is not Python (a `Dockerfile`) cannot move to a
`--definitions` cell; the exercise's text names the heading it sits under instead.
"""

import re
from pathlib import Path

import pytest

from workshop.authoring import notebooks
from workshop.authoring.regions import region_ids

ROOT = Path(__file__).resolve().parents[3]
LESSONS = ["04", "05", "06", "07", "08", "09", "10"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_stub_sits_between_its_heading_and_its_check(lesson: str) -> None:
    [path] = (ROOT / "solutions").glob(f"{lesson}-*.ipynb")
    cells = notebooks.read(path).cells
    checks = {
        found.group(1): index
        for index, cell in enumerate(cells)
        if cell.cell_type == "code"
        and (found := re.fullmatch(r'check\("([\d.]+)"\)\s*', cell.source))
    }
    assert checks, f"{path.name} has no check cell"
    for exercise, check in checks.items():
        [heading] = [
            index
            for index, cell in enumerate(cells)
            if cell.cell_type == "markdown"
            and re.search(
                rf"^###\s+Exercise {re.escape(exercise)}\b", cell.source, re.M
            )
        ]
        holding = [
            index
            for index, cell in enumerate(cells)
            if cell.cell_type == "code" and exercise in region_ids(cell.source)
        ]
        where = f"{path.name}, exercise {exercise}"
        assert holding, f"{where}: no cell holds its stub"
        if not cells[holding[0]].source.split()[1].endswith(".py"):  # %%save_file
            [above] = [
                cell.source.split("\n")[0].lstrip("# ")
                for cell in cells[: holding[0]]
                if cell.cell_type == "markdown" and cell.source.startswith("## ")
            ][-1:]
            assert f"**{above}**" in cells[heading].source, f"{where}: names no cell"
            continue
        assert check - 1 in holding, f"{where}: the cell above the check holds no stub"
        assert all(heading < index < check for index in holding), (
            f"{where}: a stub lies outside its section (cells {holding}, "
            f"heading {heading}, check {check})"
        )
