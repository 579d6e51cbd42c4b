"""The grades as files: CSV and JSON with everything, and a gradebook for an LMS.

`to_csv` and `to_json` hold the same grades as the table, with each exercise's
state and what its check said. `to_gradebook` is the one to import into a
learning platform (Moodle, Canvas, Open edX...): a row per attendee, a point per
exercise passed, and the total, with nothing else a gradebook import would
trip over.
"""

from __future__ import annotations

import csv
import io
import json

from workshop.grading.rows import Row, State, pass_rates


def to_csv(columns: list[str], rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["attendee", "submission", *columns, "passed", "total", "status"])
    for row in rows:
        states = [row.outcomes[e].state.value for e in columns]
        writer.writerow(
            [row.name, row.source, *states, row.passed, len(columns), row.status]
        )
    return out.getvalue()


def to_gradebook(columns: list[str], rows: list[Row]) -> str:
    """attendee, one column of points (0 or 1) per exercise, total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["attendee", *columns, "total"])
    for row in rows:
        points = [int(row.outcomes[e].state is State.PASSED) for e in columns]
        writer.writerow([row.name, *points, sum(points)])
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
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
