"""Lining an attendee's file cell up against the lesson's: where each answer is.

A lesson cell, as the attendee first sees it, is fixed code with each
exercise's stub in its region (`template`). In the attendee's copy the lines
between the fixed code lines around a region are that exercise's answer
(`regions_in`): difflib finds the fixed lines, even when an answer is longer
than its stub or starts with blank lines, and a fixed line the attendee edited
next to a region is not taken for part of the answer.

difflib's cost grows with the product of the two lengths, and a crafted cell
(five million blank lines) would hold the grader for minutes. So every
comparison is priced before it runs, in line pairs: one over `MAX_PAIRS`, or a
notebook over `NOTEBOOK_PAIRS` in all, is `TooLarge` ("too large to compare",
that row's status). The budget is counted, not timed, so it decides the same
on a slow machine: at the worst (blank lines against blank lines) a pair costs
about 2 µs here, so a notebook is held at most ~20 s; the largest lesson,
honestly done, needs under a tenth of it.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from workshop.authoring.fold import Lesson
from workshop.authoring.regions import parse, render
from workshop.grading.reading import Unreadable, python_lines
from workshop.project import WorkshopError

MAX_PAIRS = 1_000_000  # one comparison: a 3,000-line cell against 300 lines
NOTEBOOK_PAIRS = 10_000_000  # one notebook's comparisons, in all


class TooLarge(Unreadable):
    """A cell too large to line up within the budget."""


_budget = threading.local()


@contextlib.contextmanager
def budget(pairs: int = NOTEBOOK_PAIRS) -> Iterator[None]:
    """Within it, the comparisons made on this thread share `pairs`."""
    _budget.left = pairs
    try:
        yield
    finally:
        del _budget.left


def matcher(a: Sequence[str], b: Sequence[str]) -> difflib.SequenceMatcher[str]:
    """A difflib matcher for `a` against `b`, once its price is paid."""
    pairs = max(len(a), 1) * max(len(b), 1)
    left = getattr(_budget, "left", None)
    if pairs > MAX_PAIRS or (left is not None and pairs > left):
        raise TooLarge(
            f"too large to compare ({len(b)} lines against the lesson's {len(a)})"
        )
    if left is not None:
        _budget.left = left - pairs
    return difflib.SequenceMatcher(None, a, b, autojunk=False)


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
    for tag, i1, i2, j1, j2 in matcher(stub_lines, mine).get_opcodes():
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
    for tag, i1, i2, j1, j2 in matcher(shape.lines, mine).get_opcodes():
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
    return trimmed(shape.solutions[exercise])


def trimmed(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def attendee_lines(body: str) -> list[str]:
    """The lines a cell writes: a copy with region markers in it keeps its solutions."""
    try:
        return python_lines(render(body, stub=False)).rstrip().split("\n")
    except WorkshopError:
        return python_lines(body).rstrip().split("\n")


def code_lines(lines: list[str]) -> list[str]:
    """Lines that matter when comparing code: no blank lines, no comments."""
    kept = [line.rstrip() for line in lines]
    return [line for line in kept if line.strip() and not line.strip().startswith("#")]
