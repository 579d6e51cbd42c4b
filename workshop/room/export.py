"""The room as CSV, for the end of the day and for timing the lessons: one row
per attendee and exercise tried, with how it stands, how many tries it took, and
when it was first tried and first passed (local time); an attendee who sent
nothing has one row that says so.

A spreadsheet runs a cell that starts with = + - @ as a formula; a text that
starts so is written with a leading apostrophe, so it stays text.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime

from workshop.room.store import Attendee, Mark

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = [
    "attendee",
    "exercise",
    "title",
    "state",
    "tries",
    "first try",
    "first pass",
    "minutes to pass",
    "last try",
    "failing step",
]


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _time(moment: float | None) -> str:
    return (
        ""
        if moment is None
        else datetime.fromtimestamp(moment).isoformat(" ", "seconds")
    )


def _row(name: str, mark: Mark, title: str) -> list[object]:
    state = "passed" if mark.passed else f"failed {mark.ok}/{mark.total}"
    took = ""
    if mark.first_pass is not None and mark.first_try is not None:
        took = f"{(mark.first_pass - mark.first_try) / 60:.1f}"
    step = (
        ""
        if mark.passed or mark.step is None
        else f"{mark.step}: {mark.step_text or ''}"
    )
    return [
        _text(name),
        mark.exercise,
        title,
        state,
        mark.tries,
        _time(mark.first_try),
        _time(mark.first_pass),
        took,
        _time(mark.last),
        _text(step),
    ]


def to_csv(people: list[Attendee], marks: list[Mark], titles: dict[str, str]) -> str:
    order = {exercise: n for n, exercise in enumerate(titles)}
    by_attendee: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        by_attendee[mark.attendee].append(mark)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for person in people:
        theirs = sorted(by_attendee[person.id], key=lambda m: order.get(m.exercise, 0))
        if not theirs:
            writer.writerow([_text(person.name), "", "", "not started"])
        for mark in theirs:
            writer.writerow(_row(person.name, mark, titles.get(mark.exercise, "")))
    return out.getvalue()
