"""What an attendee did in one lesson: each exercise's code, and what else changed.

The grader knows every file cell of the lesson as the attendee received it:
fixed code, with each exercise's stub in its region. Lining the attendee's cell
up against it (difflib) tells which lines took the place of each stub (the
exercise's answer) and whether anything else changed. As nbgrader checks its
read-only cells, a change outside the regions, or a file cell the lesson does
not have, is flagged; blank lines and comments do not count.

A cell copied and edited in the notebook (two cells writing one file) is paired
with the lesson's cell it resembles most; the last copy is the one graded, as
running the notebook from the top would leave the file.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field

from workshop.authoring.fold import Lesson
from workshop.authoring.notebooks import FileCell, Slot
from workshop.authoring.regions import parse, render
from workshop.project import WorkshopError


@dataclass(frozen=True)
class Template:
    """A lesson cell as an attendee first sees it."""

    lines: list[str]
    spans: dict[str, tuple[int, int]]  # exercise -> where its stub sits in `lines`
    stubs: dict[str, list[str]]
    solutions: dict[str, list[str]]


@functools.lru_cache(maxsize=512)
def template(body: str) -> Template:
    lines: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    stubs: dict[str, list[str]] = {}
    solutions: dict[str, list[str]] = {}
    for part in parse(body):
        if isinstance(part, str):
            lines.append(part)
        else:
            spans[part.id] = (len(lines), len(lines) + len(part.stub))
            lines += part.stub
            stubs[part.id], solutions[part.id] = part.stub, part.solution
    return Template(lines, spans, stubs, solutions)


def taken_by(
    stub_lines: list[str], span: tuple[int, int], mine: list[str]
) -> list[int]:
    """The indices of the attendee's lines that took the place of `span`, by
    lining up every line (for regions with no fixed code between them)."""
    start, end = span
    taken: list[int] = []
    matcher = difflib.SequenceMatcher(None, stub_lines, mine, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lo, hi = max(i1, start), min(i2, end)
            taken += range(j1 + lo - i1, j1 + hi - i1) if lo < hi else []
        elif (i1 < end and i2 > start) or (i1 == i2 and start <= i1 <= end):
            taken += range(j1, j2)
    return list(range(min(taken), max(taken) + 1)) if taken else []


def regions_in(shape: Template, mine: list[str]) -> dict[str, list[int]]:
    """For each region, the indices of the attendee's lines in its place: the
    lines between the fixed code lines around it (as found in the attendee's),
    less those at either end that line up with fixed lines the attendee edited."""
    in_region = [
        any(a <= i < b for a, b in shape.spans.values())
        for i in range(len(shape.lines))
    ]
    anchors: dict[int, int] = {}  # fixed code line -> the attendee's same line
    fixed: set[int] = set()  # the attendee's lines that stand for fixed lines
    matcher = difflib.SequenceMatcher(None, shape.lines, mine, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in {"equal", "replace"} and not any(in_region[i1:i2]):
            fixed.update(range(j1, j2))
        for k in range(i2 - i1 if tag == "equal" else 0):
            if not in_region[i1 + k] and shape.lines[i1 + k].strip():
                anchors[i1 + k] = j1 + k
    gaps: dict[str, tuple[int, int]] = {}
    for exercise, (start, end) in shape.spans.items():
        lo = max((j for i, j in anchors.items() if i < start), default=-1) + 1
        hi = min((j for i, j in anchors.items() if i >= end), default=len(mine))
        while lo < hi and lo in fixed:
            lo += 1
        while hi > lo and hi - 1 in fixed:
            hi -= 1
        gaps[exercise] = (lo, hi)
    found = {}
    for exercise, (lo, hi) in gaps.items():
        indices = list(range(lo, hi))
        if [gap for gap in gaps.values() if gap == (lo, hi)][
            1:
        ]:  # regions side by side
            by_line = taken_by(shape.lines, shape.spans[exercise], mine)
            indices = [i for i in by_line if lo <= i < hi]
        found[exercise] = indices
    return found


def solution(lesson: Lesson, exercise: str) -> list[str]:
    """The solution's lines for `exercise`, without blank lines around them."""
    shape = template(lesson.bodies[lesson.homes[exercise]])
    return _trimmed(shape.solutions[exercise])


def _trimmed(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def attendee_lines(body: str) -> list[str]:
    """The lines a cell writes: a copy with region markers in it keeps its solutions."""
    try:
        return render(body, stub=False).rstrip().split("\n")
    except WorkshopError:
        return body.rstrip().split("\n")


def _code(lines: list[str]) -> list[str]:
    """Lines that matter when comparing code: no blank lines, no comments."""
    kept = [line.rstrip() for line in lines]
    return [line for line in kept if line.strip() and not line.strip().startswith("#")]


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
            key=lambda slot: difflib.SequenceMatcher(
                None, template(lesson.bodies[slot]).lines, seen, autojunk=False
            ).ratio(),
        )
        mine.setdefault(best, []).append(cell)
    for slot, paired in mine.items():
        work.graded_cells[slot] = paired[-1]
        if len(paired) > 1:
            work.copies.append(slot.path)


def read_work(lesson: Lesson, cells: list[FileCell]) -> Work:
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
            lines = _trimmed([seen[i] for i in indices])
            if exercise in lesson.exercises:
                started = _code(lines) != _code(shape.stubs[exercise])
                work.answers[exercise] = Answer(lines, started)
        fixed = [
            line
            for i, line in enumerate(shape.lines)
            if not any(a <= i < b for a, b in shape.spans.values())
        ]
        outside = [line for i, line in enumerate(seen) if i not in taken]
        if _code(fixed) != _code(outside):
            diff = difflib.unified_diff(
                _code(fixed), _code(outside), "lesson", "attendee", lineterm="", n=1
            )
            work.changed[slot.path] = list(diff)[2:]
    return work
