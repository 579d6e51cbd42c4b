"""The grades as a terminal table, with nothing a submission can forge in it.

Every text that comes from a submission (a name, an error message) is shown
with its control characters escaped: a message holding "\\r\\x1b[2K" cannot
redraw its row as ✓✓✓.
"""

from __future__ import annotations

import unicodedata

from workshop.grading.rows import GRADED, Outcome, Row, State, pass_rates

DASH = "–"  # noqa: RUF001 (an en dash reads as "not there")
MARKS = {
    State.PASSED: "✓",
    State.FAILED: "✗",
    State.NOT_STARTED: "·",
    State.SOLVED_BY_TOOL: "s",
    State.MISSING: DASH,
    State.VOID: "⚑",
}
PROBLEM_WIDTH = 160  # the rest of a long problem is in --csv and --json
LEGEND = (
    "✓ passed · ✗ k/n tried, k of the check's n steps passed · · not started "
    f"· s solved with `workshop solve` · {DASH} missing · ⚑ not trusted, see the "
    "status"
)


def escape(text: str) -> str:
    """`text` safe for a terminal: control and format characters as escapes."""
    out = []
    for char in str(text):
        if char in "\n\t":
            out.append(" ")
        elif unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co"}:
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


def shortened(text: str, width: int = PROBLEM_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def status(row: Row) -> str:
    """The row's status, escaped, each problem cut short (never a flag)."""
    problems = "; ".join(shortened(escape(p)) for p in row.problems) or GRADED
    return " · ".join(
        [problems, *(f"⚑ {escape(f)}" for f in row.flags), *map(escape, row.notes)]
    )


def mark(outcome: Outcome) -> str:
    passed, total = outcome.steps
    if outcome.state is State.FAILED and total:
        return f"✗ {passed}/{total}"
    return MARKS[outcome.state]


def table(columns: list[str], rows: list[Row]) -> str:
    lines = [["attendee", *columns, "total", "status"]]
    for row in rows:
        marks = [mark(row.outcomes[e]) for e in columns]
        lines.append(
            [
                escape(row.name),
                *marks,
                f"{row.passed}/{len(columns)}",
                status(row),
            ]
        )
    rates = pass_rates(columns, rows)
    lines.append(
        [
            "pass rate",
            *[DASH if rates[e] is None else f"{rates[e]:.0%}" for e in columns],
            "",
            "",
        ]
    )
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) for cell, width in zip(line, widths, strict=True)
        ).rstrip()
        for line in lines
    )
