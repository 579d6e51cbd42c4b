"""Which lesson a notebook is: by its cell ids, else its content, else its name.

Jupyter keeps the cell ids the build gives, so a copy of a lesson is found by
them. A notebook saved without ids (an old Jupyter, "Save as" from another
tool, cells pasted into Untitled1.ipynb) is matched by its cells' text: the
lesson's Markdown and untouched code cells are the same in every copy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from workshop.authoring import notebooks
from workshop.authoring.fold import Lesson
from workshop.grading.reading import Cell, Unreadable, file_cells
from workshop.project import WorkshopError

SHARE = 0.5  # of a lesson's ids, or of its cells' texts, a notebook must hold


@dataclass(frozen=True)
class Match:
    lesson: Lesson
    how: str  # "" when by cell ids; else what was matched, for the row's notes


def _fingerprint(source: str) -> str:
    text = "\n".join(line.rstrip() for line in source.strip().splitlines())
    return hashlib.sha256(text.encode()).hexdigest()


class Matcher:
    def __init__(self, lessons: dict[int, Lesson]) -> None:
        self.lessons = lessons
        self._texts: dict[int, set[str]] = {}
        for number, lesson in lessons.items():
            try:
                cells = notebooks.read(lesson.path).cells
            except WorkshopError:
                cells = []
            found = {_fingerprint(c.source) for c in cells if c.source.strip()}
            self._texts[number] = found

    def match(self, path: Path, cells: list[Cell]) -> Match:
        ids = {cell.id for cell in cells if cell.id}
        by_ids = max(
            self.lessons.values(), key=lambda ls: len(ls.cell_ids & ids), default=None
        )
        if (
            by_ids
            and by_ids.cell_ids
            and 2 * len(by_ids.cell_ids & ids) >= len(by_ids.cell_ids)
        ):
            return Match(by_ids, "")
        texts = {_fingerprint(c.source) for c in cells if c.source.strip()}
        shares = {
            number: len(known & texts) / len(known)
            for number, known in self._texts.items()
            if known
        }
        best = max(shares, key=lambda n: shares[n], default=None)
        if best is not None and shares[best] >= SHARE:
            lesson = self.lessons[best]
            common = len(self._texts[best] & texts)
            return Match(
                lesson,
                f"{path.name} is {lesson.name} by its content "
                f"({common} of {len(self._texts[best])} cells)",
            )
        written = {cell.path for cell in file_cells(cells)}
        for lesson in self.lessons.values():
            if lesson.name in path.name and written & {s.path for s in lesson.bodies}:
                return Match(lesson, f"{path.name} is {lesson.name} by its name")
        raise Unreadable("not from this workshop")
