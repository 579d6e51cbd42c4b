"""How long a lesson takes in a room, estimated from what it holds.

A room reads and discusses the prose, reads or types the code and runs it, and
works each exercise. The rates below were fitted (least squares) to the times
measured when lessons 04-10 were taught, each lesson taken at the middle of its
measured range (04: 145 min, 05: 135, 06: 88, 07: 95, 08: 90, 09: 93, 10: 98),
with 01-03 at the times attendees took; every lesson then falls within 15 % of
its measured time, 01 excepted (+20 %: a first lesson's prose is read faster).
A lesson's first cell states the estimate; a test keeps them in step.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from workshop.authoring import notebooks
from workshop.checking import exercises_of
from workshop.project import lesson_number

WORDS_PER_MINUTE = 105  # prose read, explained and talked over
CODE_LINES_PER_MINUTE = 48  # code read or typed, and its cell run
PER_EXERCISE = 8  # minutes each exercise takes, checks and hints included
SETTLING = 7  # minutes: the setup cell, questions, the recap
EXERCISE = re.compile(r"^### Exercise (\d\d\.\d+)", re.MULTILINE)


@dataclass
class Section:
    """One `## ` section of a lesson: what it holds, and the minutes that takes."""

    title: str
    words: int = 0
    code_lines: int = 0
    exercises: tuple[str, ...] = ()

    @property
    def minutes(self) -> float:
        return (
            self.words / WORDS_PER_MINUTE
            + self.code_lines / CODE_LINES_PER_MINUTE
            + PER_EXERCISE * len(self.exercises)
        )


def stated(path: Path) -> tuple[str, int | None]:
    """A lesson's title and the minutes its first cell states (None: none),
    as in '# 01 · Project structure' and '**Time:** about 55 minutes'."""
    first = notebooks.read(path).cells[0].source
    minutes = re.search(r"about (\d+) minutes", first)
    title = first.splitlines()[0].lstrip("# ").strip()
    return title, int(minutes.group(1)) if minutes else None


def sections(path: Path) -> list[Section]:
    """The lesson's sections in order; what comes before the first heading is
    the introduction."""
    found = [Section("Introduction")]
    for cell in notebooks.read(path).cells:
        if cell.cell_type == "markdown":
            heading = re.match(r"## (.+)", cell.source)
            if heading:
                found.append(Section(heading.group(1).strip()))
            found[-1].words += len(re.findall(r"\w+", cell.source))
            found[-1].exercises += tuple(EXERCISE.findall(cell.source))
        elif cell.cell_type == "code":
            found[-1].code_lines += sum(
                1 for ln in cell.source.splitlines() if ln.strip()
            )
    return found


def estimate(path: Path) -> int:
    """Minutes, rounded up to five: what a lesson's first cell states."""
    parts = sections(path)
    counted = {e for s in parts for e in s.exercises}
    # An exercise the prose does not head as "### Exercise NN.k" still takes its time.
    missing = len(set(exercises_of(lesson_number(path))) - counted)
    minutes = sum(s.minutes for s in parts) + PER_EXERCISE * missing + SETTLING
    return 5 * math.ceil(minutes / 5)
