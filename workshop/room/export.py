"""The grid as CSV, for the end of the day: one row per attendee, one column per
exercise ("passed", "failed 2/4", or empty when not started), then the count of
exercises passed.

A spreadsheet runs a cell that starts with = + - @ as a formula; a name that
starts so is written with a leading apostrophe, so it stays text.
"""

from __future__ import annotations

import csv
import io

from workshop.room.schemas import Cell, Grid

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _mark(cell: Cell | None) -> str:
    if cell is None:
        return ""
    return "passed" if cell.passed else f"failed {cell.ok}/{cell.total}"


def to_csv(grid: Grid) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["attendee", *(c.id for c in grid.columns), "passed"])
    for row in grid.rows:
        marks = [_mark(row.cells.get(c.id)) for c in grid.columns]
        passed = sum(cell.passed for cell in row.cells.values())
        writer.writerow([_text(row.name), *marks, passed])
    return out.getvalue()
