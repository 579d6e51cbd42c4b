"""Reading notebooks, writing them back stably, and finding their file cells."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from workshop.authoring.definitions import FLAG, merge
from workshop.authoring.regions import render
from workshop.project import WorkshopError

# The cell magic that writes a managed file, and the line magic that deletes one.
SAVE, DELETE = "save_file", "delete_file"
_SAVE_HEADER = re.compile(rf"^%%{SAVE}[ \t]+(\S+)(?:[ \t]+({FLAG}))?[ \t]*$")
_DELETE_LINE = re.compile(rf"^%{DELETE}[ \t]+(\S+)[ \t]*$")
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


Stubbed = bool | Collection[str]  # exercises left as stubs (True: all of them)
Answers = Mapping[str, str] | None  # exercise id -> code written in its region


def resolved(body: str, stubbed: Stubbed = (), answers: Answers = None) -> str:
    """A file cell's body as an attendee has it, the `stubbed` exercises not done
    and `answers` written in: regions resolved, no trailing blank lines."""
    return render(body, stub=stubbed, answers=answers).rstrip()


def file_text(body: str, stubbed: Stubbed = (), answers: Answers = None) -> str:
    """The exact text a file-writing cell writes: its resolved body, one final newline."""
    return resolved(body, stubbed, answers) + "\n"


class Slot(NamedTuple):
    """Which file cell of a lesson: the `nth` (from 0) of its cells that name `path`.

    A cell keeps its slot in an attendee's copy even where cells around it were
    added or removed, so the slot finds the solution's cell for the attendee's.
    """

    path: str
    nth: int


@dataclass(frozen=True)
class FileCell:
    """A cell that changes a managed file: `%%save_file PATH` writes the cell's
    body, `%%save_file PATH --definitions` writes the body's definitions into the
    file (workshop.authoring.definitions), `%delete_file PATH` deletes the file."""

    path: str  # relative to the checkout, e.g. "app/main.py"
    body: str | None  # below the header, regions and all; None: the cell deletes
    index: int = 0  # position of the cell in its notebook, from 0
    nth: int = 0  # how many earlier file cells of the notebook name the same path
    definitions: bool = False  # the body changes definitions of the file

    @property
    def deletes(self) -> bool:
        return self.body is None

    @property
    def slot(self) -> Slot:
        return Slot(self.path, self.nth)

    def resolved(self, stubbed: Stubbed = (), answers: Answers = None) -> str:
        return resolved(self.body or "", stubbed, answers)

    def text(self, stubbed: Stubbed = (), answers: Answers = None) -> str:
        """What the cell itself holds, resolved: the whole file, or the definitions."""
        return file_text(self.body or "", stubbed, answers)

    def written(
        self, before: str | None, stubbed: Stubbed = (), answers: Answers = None
    ) -> str:
        """The file once the cell has run on `before` (None: no such file yet)."""
        if not self.definitions:
            return self.text(stubbed, answers)
        return merge(before, self.resolved(stubbed, answers), self.path)


def file_cell_source(path: str, body: str | None, definitions: bool = False) -> str:
    """The source of a cell that writes `body` to `path` (None: that deletes `path`)."""
    if body is None:
        return f"%{DELETE} {path}"
    return f"%%{SAVE} {path}{' ' + FLAG if definitions else ''}\n{body}"


def is_definitions(source: str) -> bool:
    """Whether the cell writes definitions into its file (`--definitions`)."""
    match = _SAVE_HEADER.match(source.partition("\n")[0])
    return bool(match and match.group(2))


def parse_file_cell(source: str) -> tuple[str, str | None] | None:
    """(path, body) for a cell that writes a file, (path, None) for one that
    deletes a file, None for any other cell."""
    header, _, body = source.partition("\n")
    if match := _SAVE_HEADER.match(header):
        return match.group(1), body
    if match := _DELETE_LINE.match(header):
        return match.group(1), None
    return None


def file_cells(cells: Iterable[Any]) -> Iterator[FileCell]:
    """The file cells among `cells` (each with a `cell_type` and a `source`), in order."""
    seen: Counter[str] = Counter()
    for index, cell in enumerate(cells):
        parsed = parse_file_cell(cell.source) if cell.cell_type == "code" else None
        if parsed is not None:
            path, body = parsed
            definitions = is_definitions(cell.source)
            yield FileCell(path, body, index, seen[path], definitions)
            seen[path] += 1


def bodies(cells: Iterable[FileCell]) -> dict[Slot, str]:
    """The bodies of the file-writing cells among `cells`, by slot."""
    return {cell.slot: cell.body for cell in cells if cell.body is not None}
