"""The grades as files: CSV and JSON with everything, and a gradebook for an LMS.

`to_csv` and `to_json` hold the same grades as the table, with each exercise's
state and what its check said. `to_gradebook` is the one to import into a
learning platform (Moodle, Canvas, Open edX...): a row per attendee, a point per
exercise passed, and the total, with nothing else a gradebook import would
trip over.

Every text in them may come from an attendee: in CSV a cell that a spreadsheet
would read as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first)
gets a leading `'`, and bytes of a file name that are not UTF-8 are written as
`\xff`, so one attendee's file name cannot stop the others' reports.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from workshop.grading.names import printable
from workshop.grading.rows import Row, State, pass_rates

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(value: object) -> object:
    """A CSV cell no spreadsheet runs: numbers as they are, text neutralised."""
    if isinstance(value, (int, float)):
        return value
    text = printable(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _plain(value: Any) -> Any:
    """`value` with every text encodable (for the JSON report)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def to_csv(columns: list[str], rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["attendee", "submission", *columns, "passed", "total", "status"])
    for row in rows:
        states = [row.outcomes[e].state.value for e in columns]
        values = [row.name, row.source, *states, row.passed, len(columns), row.status]
        writer.writerow(map(cell, values))
    return out.getvalue()


def to_gradebook(columns: list[str], rows: list[Row]) -> str:
    """attendee, one column of points (0 or 1) per exercise, total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["attendee", *columns, "total"])
    for row in rows:
        points = [int(row.outcomes[e].state is State.PASSED) for e in columns]
        writer.writerow(map(cell, [row.name, *points, sum(points)]))
    return out.getvalue()


def to_json(columns: list[str], rows: list[Row]) -> str:
    data = {
        "exercises": columns,
        "pass_rate": pass_rates(columns, rows),
        "attendees": [
            {
                "name": row.name,
                "submission": str(row.source),
                "status": row.status,
                "problems": row.problems,
                "flags": row.flags,
                "notes": row.notes,
                "graded": {
                    f"{number:02d}": str(grade.found.path)
                    for number, grade in row.lessons.items()
                },
                "passed": row.passed,
                "total": len(columns),
                "exercises": {
                    e: {
                        "state": row.outcomes[e].state.value,
                        "detail": row.outcomes[e].detail,
                        "steps": list(row.outcomes[e].steps),
                        "messages": list(row.outcomes[e].messages),
                    }
                    for e in columns
                },
            }
            for row in rows
        ],
    }
    return json.dumps(_plain(data), indent=2, ensure_ascii=False) + "\n"
