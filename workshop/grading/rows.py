"""A graded class, as every report reads it: one `Row` per attendee.

A row's `problems` mean it could not be graded fully (a broken notebook, a
timeout, a syntax error); its `flags` mean something needs a human look (code
changed outside the exercises, answers that reach for the grader, results the
checks did not write); its `notes` only say what was graded. Any problem or
flag makes `workshop grade` exit 1; a row the grader itself failed on
(`broke`) makes it exit 3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from workshop.checking import lesson_of
from workshop.grading.submissions import Found
from workshop.grading.work import Work

GRADED = "graded"


class State(Enum):
    PASSED = "pass"
    FAILED = "fail"  # tried, and the check said no
    NOT_STARTED = "not started"  # the region still holds its stub
    SOLVED_BY_TOOL = "solved with workshop solve"  # the attendee skipped it
    MISSING = "missing"  # no notebook, or no cell, for it
    VOID = "void"  # results the grader cannot trust: see the row's flags


@dataclass(frozen=True)
class Outcome:
    state: State
    detail: str = ""  # one line: why it is not a pass
    steps: tuple[int, int] = (0, 0)  # steps passed, steps in all
    messages: tuple[str, ...] = ()  # what the check said, a line per step


@dataclass
class LessonGrade:
    """What was graded for one lesson of one attendee."""

    found: Found
    work: Work
    copies: int = 1  # notebooks of this lesson in the submission


@dataclass
class Row:
    name: str
    source: Path
    outcomes: dict[str, Outcome]
    problems: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lessons: dict[int, LessonGrade] = field(default_factory=dict)
    broke: bool = False  # the grader itself failed on this row (a bug, not the row)
    clashes: bool = False  # another submission has its name: no feedback file

    @property
    def graded(self) -> bool:
        return not self.problems

    @property
    def clean(self) -> bool:
        return not self.problems and not self.flags

    @property
    def passed(self) -> int:
        return sum(o.state is State.PASSED for o in self.outcomes.values())

    @property
    def status(self) -> str:
        parts = ["; ".join(self.problems) or GRADED]
        parts += [f"⚑ {flag}" for flag in self.flags]
        return " · ".join(parts + self.notes)

    def handed_in(self, exercise: str) -> bool:
        return lesson_of(exercise) in self.lessons


def pass_rates(columns: list[str], rows: list[Row]) -> dict[str, float | None]:
    """Per exercise, the share of those who handed in its lesson who passed it
    (None when nobody did)."""
    rates: dict[str, float | None] = {}
    for exercise in columns:
        handed = [row for row in rows if row.handed_in(exercise)]
        passed = sum(row.outcomes[exercise].state is State.PASSED for row in handed)
        rates[exercise] = passed / len(handed) if handed else None
    return rates
