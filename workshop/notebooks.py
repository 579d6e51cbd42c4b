"""Reading notebooks, finding their file-writing cells, writing them back stably."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat

from workshop.project import WorkshopError, is_managed
from workshop.regions import render

MAGIC = "save_file"
_HEADER = re.compile(rf"^%%{MAGIC}[ \t]+(\S+)[ \t]*$")


@dataclass(frozen=True)
class FileCell:
    path: str  # relative to the checkout, e.g. "app/main.py"
    text: str  # what the cell writes, solution regions resolved
    index: int  # position of the cell in its notebook


def read(path: Path) -> nbformat.NotebookNode:
    try:
        return nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises several unrelated types
        raise WorkshopError(
            f"{path.name} is not a readable notebook ({error})"
        ) from None


def dumps(notebook: nbformat.NotebookNode) -> str:
    return nbformat.writes(notebook) + "\n"


def file_text(body: str) -> str:
    """The exact bytes a file-writing cell writes: regions resolved, one final newline."""
    return render(body, stub=False).rstrip() + "\n"


def parse_file_cell(source: str) -> tuple[str, str] | None:
    """(path, body) when `source` is a file-writing cell, else None."""
    header, _, body = source.partition("\n")
    match = _HEADER.match(header)
    return (match.group(1), body) if match else None


def file_cells(notebook: nbformat.NotebookNode, name: str = "") -> Iterator[FileCell]:
    for index, cell in enumerate(notebook.cells):
        parsed = parse_file_cell(cell.source) if cell.cell_type == "code" else None
        if parsed is None:
            continue
        path, body = parsed
        if not is_managed(path):
            raise WorkshopError(
                f"{name} cell {index + 1} writes {path}, which is not a workshop "
                "file (allowed: app/, tests/, alembic/ and the deployment files)"
            )
        yield FileCell(path, file_text(body), index)
