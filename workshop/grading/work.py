"""What an attendee did in one lesson: each exercise's code, and what else changed.

The grader knows every file cell of the lesson as the attendee received it:
fixed code, with each exercise's stub in its region. Lining the attendee's cell
up against it (workshop.grading.alignment) tells which lines took the place of
each stub (the exercise's answer) and whether anything else changed. As nbgrader checks its
read-only cells, a change outside the regions, or a file cell the lesson does
not have, is flagged; blank lines and comments do not count.

A cell copied and edited in the notebook (two cells writing one file) is paired
with the lesson's cell it resembles most; the last copy is the one graded, as
running the notebook from the top would leave the file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from workshop.authoring.fold import Lesson
from workshop.authoring.notebooks import FileCell, Slot
from workshop.grading.alignment import (
    attendee_lines,
    budget,
    code_lines,
    matcher,
    regions_in,
    template,
    trimmed,
)


@dataclass
class Answer:
    lines: list[str]
    started: bool  # not the stub any more


@dataclass
class Work:
    """One notebook's work on its lesson."""

    answers: dict[str, Answer] = field(default_factory=dict)  # missing: cell deleted
    changed: dict[str, list[str]] = field(default_factory=dict)  # path -> diff lines
    added: list[str] = field(default_factory=list)  # file cells the lesson has not
    copies: list[str] = field(default_factory=list)  # files written by several cells
    graded_cells: dict[Slot, FileCell] = field(default_factory=dict)

    @property
    def started(self) -> list[str]:
        return [e for e, answer in self.answers.items() if answer.started]


def _pair(lesson: Lesson, cells: list[FileCell], work: Work) -> None:
    """Which attendee cell stands for each of the lesson's file cells."""
    mine: dict[Slot, list[FileCell]] = {}
    for cell in cells:
        slots = [
            c.slot
            for c in lesson.file_cells
            if c.path == cell.path and c.deletes == cell.deletes
        ]
        if not slots:
            work.added.append(cell.path)
            continue
        if cell.deletes:
            mine.setdefault(slots[0], []).append(cell)
            continue
        seen = attendee_lines(cell.body or "")
        best = max(
            slots,
            key=lambda slot: matcher(template(lesson.bodies[slot]).lines, seen).ratio(),
        )
        mine.setdefault(best, []).append(cell)
    for slot, paired in mine.items():
        work.graded_cells[slot] = paired[-1]
        if len(paired) > 1:
            work.copies.append(slot.path)


def read_work(lesson: Lesson, cells: list[FileCell]) -> Work:
    """The notebook's work, lined up within one notebook's budget
    (workshop.grading.alignment.TooLarge past it)."""
    with budget():
        return _read_work(lesson, cells)


def _read_work(lesson: Lesson, cells: list[FileCell]) -> Work:
    work = Work()
    _pair(lesson, cells, work)
    for slot, body in lesson.bodies.items():
        shape = template(body)
        cell = work.graded_cells.get(slot)
        if cell is None or cell.body is None:
            continue
        seen = attendee_lines(cell.body)
        taken: set[int] = set()
        for exercise, indices in regions_in(shape, seen).items():
            taken.update(indices)
            lines = trimmed([seen[i] for i in indices])
            if exercise in lesson.exercises:
                started = code_lines(lines) != code_lines(shape.stubs[exercise])
                work.answers[exercise] = Answer(lines, started)
        fixed = [
            line
            for i, line in enumerate(shape.lines)
            if not any(a <= i < b for a, b in shape.spans.values())
        ]
        outside = [line for i, line in enumerate(seen) if i not in taken]
        if code_lines(fixed) != code_lines(outside):
            diff = difflib.unified_diff(
                code_lines(fixed),
                code_lines(outside),
                "lesson",
                "attendee",
                lineterm="",
                n=1,
            )
            work.changed[slot.path] = list(diff)[2:]
    return work
