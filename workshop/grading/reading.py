"""An attendee's notebook file, read as plain data: never run, never trusted.

Whatever is wrong with a file (not JSON, nested a hundred thousand levels
deep, a cell whose source is a list of numbers, a path with a NUL byte in a
file cell) ends here as `Unreadable`, whose message becomes that file's status.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from workshop.authoring import notebooks
from workshop.authoring.notebooks import FileCell

MAX_NOTEBOOK_BYTES = 20 * 2**20


class Unreadable(Exception):
    """A notebook that cannot be graded; the message says why, for its status."""


@dataclass(frozen=True)
class Cell:
    id: str
    source: str
    cell_type: str


def _source(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "".join(value)
    raise Unreadable("not a notebook (a cell's source is not text)")


def parse_cells(data: bytes) -> list[Cell]:
    try:
        notebook = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise Unreadable("broken notebook JSON") from None
    except RecursionError:
        raise Unreadable("broken notebook JSON (nested too deep)") from None
    raw = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        raise Unreadable("not a notebook")
    return [
        Cell(
            str(cell.get("id", "")),
            _source(cell.get("source", "")),
            str(cell.get("cell_type")),
        )
        for cell in raw
    ]


def read_cells(path: Path) -> list[Cell]:
    """A notebook's cells, read as JSON without running or validating anything."""
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            raise Unreadable("notebook too large")
        data = path.read_bytes()
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror or error})") from None
    return parse_cells(data)


def file_cells(cells: list[Cell]) -> list[FileCell]:
    """The file cells among `cells`, in order."""
    return list(notebooks.file_cells(cells))
