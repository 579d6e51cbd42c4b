"""`workshop grade` from start to end: grade, then print and write the reports.

The CLI parses the arguments into `Request` and calls `run`; the exit status is
0 when every row is graded with nothing flagged, 1 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workshop.grading import diffs, exports, feedback, table
from workshop.grading.grade import Options, grade


@dataclass(frozen=True)
class Request:
    submissions: list[Path]
    options: Options = field(default_factory=Options)
    diff: bool = False
    filters: diffs.Filters = field(default_factory=diffs.Filters)
    csv: Path | None = None
    json: Path | None = None
    gradebook: Path | None = None
    feedback: Path | None = None


def run(root: Path, request: Request) -> int:
    graded = grade(root, request.submissions, request.options)
    columns, rows = graded.columns, graded.rows
    print(graded.isolation.header())
    print()
    print(table.table(columns, rows))
    print(table.LEGEND)
    if request.diff:
        print("\n" + diffs.diffs(columns, rows, request.filters), end="")
    if request.csv:
        request.csv.write_text(exports.to_csv(columns, rows), encoding="utf-8")
    if request.json:
        request.json.write_text(exports.to_json(columns, rows), encoding="utf-8")
    if request.gradebook:
        request.gradebook.write_text(
            exports.to_gradebook(columns, rows), encoding="utf-8"
        )
    if request.feedback:
        feedback.write_all(request.feedback, columns, rows)
    return 0 if all(row.clean for row in rows) else 1
