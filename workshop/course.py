"""The course: the lessons an instructor teaches, when it is not all of them.

`workshop course 01-06` keeps the choice in `.workshop/course.json`; grading
(the table, CSV, gradebook and feedback) and the board then count those lessons
only, so a two-day course's totals are out of its own exercises and nobody's
feedback ends in sections they were never taught. `--course` on `grade` and
`board` chooses for one run; `workshop course all` forgets the choice.
An attendee keeps the room's course when joining its board (or runs
`workshop course` when told to); notebook 00's `show_course()` lists it (outline).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from workshop.project import WorkshopError, lesson_number, solution_notebooks

FILE = Path(".workshop") / "course.json"
_PART = re.compile(r"^(\d{1,2})(?:-(\d{1,2}))?$")


def available(root: Path) -> list[int]:
    """The lessons this checkout has (00, the welcome, is not one)."""
    return [n for n in map(lesson_number, solution_notebooks(root)) if n]


def parse(text: str, available: Iterable[int]) -> frozenset[int] | None:
    """'01-06', '1,3,5-7' or 'all' → the lessons (None: every lesson).

    Raises WorkshopError naming what is wrong: a part that is not a number or
    a range, a range that runs backwards, a lesson this checkout does not have.
    """
    known = sorted(set(available))
    if text.strip().lower() == "all":
        return None
    chosen: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _PART.match(part)
        if match is None:
            raise WorkshopError(
                f"{part!r} is not a lesson or a range of lessons: write 01-06, "
                "01,03,05-07 or all"
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise WorkshopError(
                f"{part!r} runs backwards: write {last:02d}-{first:02d}"
            )
        missing = [n for n in range(first, last + 1) if n not in known]
        if missing:
            raise WorkshopError(
                f"there is no lesson {', '.join(f'{n:02d}' for n in missing)}: "
                f"the lessons are {label(known)}"
            )
        chosen.update(range(first, last + 1))
    if not chosen:
        raise WorkshopError("name at least one lesson: 01-06, 01,03,05-07 or all")
    return frozenset(chosen)


def label(lessons: Iterable[int] | None) -> str:
    """{1, 2, 3, 5} → '01-03, 05'; None → 'all'."""
    if lessons is None:
        return "all"
    ordered, runs = sorted(lessons), []
    for n in ordered:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(f"{a:02d}" if a == b else f"{a:02d}-{b:02d}" for a, b in runs)


def load(root: Path) -> frozenset[int] | None:
    """The course kept for this checkout (None: every lesson)."""
    path = root / FILE
    if not path.is_file():
        return None
    try:
        lessons = json.loads(path.read_text(encoding="utf-8"))["lessons"]
        return frozenset(int(n) for n in lessons)
    except (ValueError, KeyError, TypeError) as error:
        raise WorkshopError(
            f"{FILE} is not a course ({error}): set it again with `workshop course`"
        ) from None


def save(root: Path, lessons: frozenset[int] | None) -> None:
    path = root / FILE
    if lessons is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"lessons": sorted(lessons)}) + "\n", encoding="utf-8")


_WORDS = {9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}  # lessons, in words


def outline(root: Path) -> str:
    """The lessons of the kept course with the times their notebooks state,
    for notebook 00; the map above it already shows every lesson."""
    from workshop.authoring.timing import stated

    chosen = load(root)
    paths = {lesson_number(p): p for p in solution_notebooks(root)}
    lessons = [n for n in paths if n]
    if chosen is None:
        count = _WORDS.get(len(lessons), str(len(lessons)))
        return (
            f"Your course: all {count} lessons, with the times in the map above. "
            "When your instructor teaches only some, joining the room's board "
            "(or `workshop course 01-06`) keeps them, and this cell lists them."
        )
    unknown = sorted(chosen - set(lessons))
    if unknown:
        raise WorkshopError(
            f"{FILE} names lessons this checkout lacks ({label(unknown)}): "
            "set it again with `workshop course`"
        )
    rows, total = [], 0
    for number in sorted(chosen):
        title, minutes = stated(paths[number])
        total += minutes or 0
        rows.append(f"  {title} (about {minutes or '?'} minutes)")
    return "\n".join(
        [f"Your course: lessons {label(chosen)}, about {total} minutes.", *rows]
    )
