"""Reading notebooks, finding their file-writing cells, writing them back stably."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workshop.authoring.regions import render
from workshop.project import WorkshopError, is_managed

MAGIC = "save_file"
_HEADER = re.compile(rf"^%%{MAGIC}[ \t]+(\S+)[ \t]*$")
# Written as lists of lines, like Jupyter does, so diffs stay line by line.
_SPLIT_MIMES = {"application/javascript", "image/svg+xml"}


class Node(dict):
    """A notebook as plain JSON with attribute access (`cell.source`).

    Plain `json` instead of nbformat: importing nbformat builds a URI grammar that
    costs seconds, and every check and notebook cell imports this module.
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


@dataclass(frozen=True)
class FileCell:
    path: str  # relative to the checkout, e.g. "app/main.py"
    text: str  # what the cell writes, solution regions resolved
    index: int  # position of the cell in its notebook


def _joined(value: Any) -> Any:
    return "".join(value) if isinstance(value, list) else value


def loads(text: str, name: str = "notebook") -> Node:
    try:
        notebook = json.loads(text, object_hook=Node)
    except ValueError as error:
        raise WorkshopError(f"{name} is not valid notebook JSON ({error})") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise WorkshopError(f"{name} is not a Jupyter notebook (it has no cells)")
    if notebook.get("nbformat") != 4:
        raise WorkshopError(f"{name} is not in notebook format 4")
    for cell in notebook.cells:
        cell.source = _joined(cell.get("source", ""))
        for output in cell.get("outputs", []):
            if "text" in output:
                output.text = _joined(output.text)
            for mime, value in output.get("data", {}).items():
                output.data[mime] = _joined(value)
    return notebook


def read(path: Path) -> Node:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise WorkshopError(f"cannot read {path.name} ({error})") from None
    return loads(text, path.name)


def _split(value: Any) -> Any:
    return value.splitlines(keepends=True) if isinstance(value, str) else value


def dumps(notebook: dict) -> str:
    """The notebook as Jupyter saves it; the same input always gives the same bytes."""
    notebook = json.loads(json.dumps(notebook))  # a deep copy
    for cell in notebook["cells"]:
        cell["source"] = _split(cell["source"])
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = _split(output["text"])
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/") or mime in _SPLIT_MIMES:
                    output["data"][mime] = _split(value)
    text = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False)
    return text + "\n"


def file_text(body: str) -> str:
    """The exact bytes a file-writing cell writes: regions resolved, one final newline."""
    return render(body, stub=False).rstrip() + "\n"


def parse_file_cell(source: str) -> tuple[str, str] | None:
    """(path, body) when `source` is a file-writing cell, else None."""
    header, _, body = source.partition("\n")
    match = _HEADER.match(header)
    return (match.group(1), body) if match else None


def file_cells(notebook: Node, name: str = "") -> Iterator[FileCell]:
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
