"""What a `%%save_file` cell changes: a short coloured diff against the lessons' files.

The magic does not know which notebook runs it. Among the solution cells that
write the same path, it takes the one whose text is most like the body being
saved, and compares with the file as the lessons before that cell leave it (the
fold). So the output is the same for everyone, whatever is on their disk, and
nbval's strict mode can compare it. A `--definitions` cell is matched among the
cells that write definitions into the path, and its diff is what its
definitions do to the lessons' file.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from workshop.authoring.definitions import merge
from workshop.authoring.fold import ManagedFiles, lessons
from workshop.authoring.notebooks import file_text as file_body
from workshop.project import WorkshopError

LIMIT = 40  # diff lines shown; the rest is counted
RED, GREEN, CYAN, RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[0m"
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


@dataclass(frozen=True)
class Write:
    """One solution cell that writes the path."""

    before: str | None  # the file as the lessons before the cell leave it
    texts: tuple[str, ...]  # the file it leaves: with its solution, and with stubs
    definitions: bool = False  # a `--definitions` cell
    bodies: tuple[str, ...] = ()  # what such a cell holds: its solution, its stubs


def writes_of(root: Path, path: str) -> list[Write]:
    """Every solution cell that writes `path`, in course order."""
    files, found = ManagedFiles(), []
    for lesson in lessons(root):
        for cell in lesson.file_cells:
            if cell.path == path and not cell.deletes:
                was = files.written.get(path)
                before = was.text if was else None
                texts = (cell.written(before), cell.written(before, stubbed=True))
                bodies = (cell.text(), cell.text(stubbed=True))
                found.append(Write(before, texts, cell.definitions, bodies))
            files.apply(lesson, cell)
    return found


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.splitlines(), b.splitlines()).ratio()


def closest(writes: list[Write], text: str, definitions: bool = False) -> Write | None:
    """The write whose text is most like `text` (the first, on a tie); for a
    `--definitions` cell's text, the such write whose cell is most like it."""
    best = max(
        (w for w in writes if w.definitions == definitions),
        key=lambda w: max(_likeness(t, text) for t in (w.bodies or w.texts)),
        default=None,
    )
    return best


def _colour(line: str) -> str:
    if match := _HUNK.match(line):
        return f"{CYAN}··· line {match.group(1)} ···{RESET}"
    if line.startswith("-"):
        return f"{RED}{line}{RESET}"
    if line.startswith("+"):
        return f"{GREEN}{line}{RESET}"
    return line


def diff(before: str, after: str, limit: int = LIMIT) -> list[str]:
    """The changed lines with one line of context, coloured, at most `limit`."""
    lines = list(
        difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1)
    )[2:]  # without the ---/+++ header
    shown = [_colour(line) for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"… and {len(lines) - limit} more lines of the diff, not shown")
    return shown


def what_changed(
    path: str,
    text: str,
    writes: list[Write],
    definitions: str | None = None,
    before: str | None = None,
) -> str:
    """'Saved app/x.py (12 lines)', and what changed against the lessons before.

    `definitions` is the body of a `--definitions` cell (which wrote `text` on
    `before`, the file on disk)."""
    count = text.count("\n")
    saved = f"Saved {path} ({count} line{'s' if count != 1 else ''})"
    if definitions is not None:
        write = closest(writes, file_body(definitions), definitions=True)
        try:
            after = merge(write.before, definitions, path) if write else None
        except WorkshopError:
            after = None  # the lessons' file cannot take them: show the disk's
        if write is None or write.before is None or after is None:
            return "\n".join([f"{saved}. What changed:", *diff(before or "", text)])
        text = after
    else:
        write = closest(writes, text)
    if write is None:  # no lesson writes this file
        return f"{saved}."
    if write.before is None:
        return f"{saved}: a new file."
    if write.before == text:
        return f"{saved}: the same as the lessons before left it."
    return "\n".join([f"{saved}. What changed:", *diff(write.before, text)])
