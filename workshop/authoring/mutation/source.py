"""A Python file as text and tree: where each node is, as offsets into the text.

The syntax tree gives positions as lines and UTF-8 byte columns; edits are made
on the text, in characters, so the rest of the file keeps its formatting.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `text`."""

    start: int
    end: int
    text: str


class Source:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tree = ast.parse(text)
        self.lines = text.split("\n")
        self._starts = [0]
        for line in self.lines:
            self._starts.append(self._starts[-1] + len(line) + 1)

    def offset(self, line: int, byte_col: int) -> int:
        """The character offset of (1-based line, UTF-8 byte column)."""
        raw = self.lines[line - 1].encode()[:byte_col]
        return self._starts[line - 1] + len(raw.decode(errors="ignore"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return start, end

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        """The offset just past the newline that ends the line of `offset`."""
        found = self.text.find("\n", offset)
        return len(self.text) if found < 0 else found + 1


def apply(text: str, edits: tuple[Edit, ...]) -> str:
    """`text` with `edits` (which do not overlap) made, the last one first."""
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def one_line(text: str, limit: int = 70) -> str:
    """`text` on one line, whitespace collapsed, cut at `limit` characters."""
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
