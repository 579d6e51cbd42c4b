"""`workshop grade` from start to end: grade, then print and write the reports.

The CLI parses the arguments into `Request` and calls `run`; the exit status is
0 when every row is graded with nothing flagged, 1 when some row needs a look,
and 3 when the grader itself failed (on a row, or writing a report): then the
reports that could be written are, and each failure is named on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workshop.grading import diffs, exports, feedback, table
from workshop.grading.grade import Options, grade
from workshop.grading.table import escape

CLEAN, NEEDS_A_LOOK, GRADER_FAILED = 0, 1, 3


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


def _export(what: str, write: Callable[[], object]) -> bool:
    """Write one report in an error boundary of its own: True when it was."""
    try:
        write()
    except Exception as error:
        print(
            escape(
                f"workshop grade: could not write {what}: {type(error).__name__}: {error}"
            ),
            file=sys.stderr,
        )
        return False
    return True


def _write(path: Path, text: Callable[[], str]) -> Callable[[], object]:
    return lambda: path.write_text(text(), encoding="utf-8")


def run(root: Path, request: Request) -> int:
    graded = grade(root, request.submissions, request.options)
    columns, rows = graded.columns, graded.rows
    exports_ok = _export(
        "the table",
        lambda: print(
            f"{graded.isolation.header()}\n\n{table.table(columns, rows)}\n{table.LEGEND}"
        ),
    )
    if request.diff:
        exports_ok &= _export(
            "the diffs",
            lambda: print("\n" + diffs.diffs(columns, rows, request.filters), end=""),
        )
    files: list[tuple[str, Path | None, Callable[[], str]]] = [
        ("--csv", request.csv, lambda: exports.to_csv(columns, rows)),
        ("--json", request.json, lambda: exports.to_json(columns, rows)),
        ("--gradebook", request.gradebook, lambda: exports.to_gradebook(columns, rows)),
    ]
    for what, path, text in files:
        if path is not None:
            exports_ok &= _export(f"{what} {path}", _write(path, text))
    if request.feedback:
        folder = request.feedback
        exports_ok &= _export(
            f"--feedback {folder}", lambda: feedback.write_all(folder, columns, rows)
        )
    if not exports_ok or any(row.broke for row in rows):
        return GRADER_FAILED
    return CLEAN if all(row.clean for row in rows) else NEEDS_A_LOOK
