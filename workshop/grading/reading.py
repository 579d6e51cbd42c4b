"""An attendee's notebook file, read as plain data: never run, never trusted.

Whatever is wrong with a file (not JSON, nested a hundred thousand levels
deep, a cell whose source is a list of numbers, a path with a NUL byte in a
file cell) ends here as `Unreadable`, whose message becomes that file's status.
Every input is bounded before it is read: only a regular file is opened (never
through a symbolic link, never a FIFO or a device), at most `MAX_NOTEBOOK_BYTES`
are read, and the JSON is counted before it is parsed (seven million empty
cells would take gigabytes as Python objects). A cell's lines are split as
Python's tokenizer splits them: a bare carriage return ends a line for Python,
so it does here, and no code can hide after one inside a comment.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from workshop.authoring import notebooks
from workshop.authoring.notebooks import FileCell

MAX_NOTEBOOK_BYTES = 20 * 2**20
MAX_CONTAINERS = 100_000  # JSON objects and arrays: a lesson with outputs has ~5,000
MAX_CELLS = 2_000  # the longest lesson has about 100
MAX_LINES = 50_000  # of cell source, in all: the longest lesson has about 4,000
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


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


def _containers(data: bytes) -> int:
    """How many JSON objects and arrays `data` opens, braces in strings aside
    (counted only when a plain count is over the cap: it costs a copy)."""
    rough = data.count(b"{") + data.count(b"[")
    if rough <= MAX_CONTAINERS:
        return rough
    bare = _STRING.sub(b"", data)
    return bare.count(b"{") + bare.count(b"[")


def python_lines(source: str) -> str:
    """`source` with every line break Python's tokenizer sees made a "\\n"."""
    return source.replace("\r\n", "\n").replace("\r", "\n")


def parse_cells(data: bytes) -> list[Cell]:
    if _containers(data) > MAX_CONTAINERS:
        raise Unreadable(f"notebook too large (more than {MAX_CONTAINERS} JSON values)")
    try:
        notebook = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise Unreadable("broken notebook JSON") from None
    except RecursionError:
        raise Unreadable("broken notebook JSON (nested too deep)") from None
    raw = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        raise Unreadable("not a notebook")
    if len(raw) > MAX_CELLS:
        raise Unreadable(f"notebook too large (more than {MAX_CELLS} cells)")
    cells = [
        Cell(
            str(cell.get("id", ""))[:200],
            python_lines(_source(cell.get("source", ""))),
            str(cell.get("cell_type"))[:20],
        )
        for cell in raw
    ]
    if sum(cell.source.count("\n") + 1 for cell in cells) > MAX_LINES:
        raise Unreadable(f"notebook too large (more than {MAX_LINES} lines)")
    return cells


def read_bounded(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of `path`, which must be a regular file itself: a
    symbolic link, a FIFO or a device is refused before it is opened for reading
    (a FIFO would hang the grader, /dev/zero would fill its memory)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise Unreadable("not a regular file (a link, a folder, a FIFO, a device)")
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # swapped between the two looks
            raise Unreadable("not a regular file (a link, a folder, a FIFO, a device)")
        if info.st_size > limit:
            raise Unreadable("notebook too large")
        chunks, left = [], limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 2**20))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as error:
        raise Unreadable(f"cannot be read ({error.strerror or error})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise Unreadable("notebook too large")
    return data


def read_cells(path: Path) -> list[Cell]:
    """A notebook's cells, read as JSON without running or validating anything."""
    return parse_cells(read_bounded(path, MAX_NOTEBOOK_BYTES))


def file_cells(cells: list[Cell]) -> list[FileCell]:
    """The file cells among `cells`, in order."""
    return list(notebooks.file_cells(cells))
