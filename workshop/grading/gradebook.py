"""The grades as a terminal table, CSV, JSON, and code beside the solution's."""

from __future__ import annotations

import csv
import difflib
import io
import json

from workshop.authoring.regions import parse, render
from workshop.grading.grade import Row
from workshop.project import WorkshopError

MARKS = {"pass": "✓", "fail": "✗", "missing": "–"}  # noqa: RUF001 (a dash reads as "not there")


def pass_rates(columns: list[str], rows: list[Row]) -> dict[str, float]:
    """Share of attendees (every row, broken submissions included) who passed."""
    return {
        e: sum(r.outcomes[e].state == "pass" for r in rows) / len(rows) if rows else 0.0
        for e in columns
    }


def table(columns: list[str], rows: list[Row]) -> str:
    lines = [["attendee", *columns, "total", "status"]]
    for row in rows:
        marks = [MARKS[row.outcomes[e].state] for e in columns]
        lines.append([row.name, *marks, f"{row.passed}/{len(columns)}", row.status])
    rates = pass_rates(columns, rows)
    lines.append(["pass rate", *[f"{rates[e]:.0%}" for e in columns], "", ""])
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) for cell, width in zip(line, widths, strict=True)
        ).rstrip()
        for line in lines
    )


def to_csv(columns: list[str], rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["attendee", "submission", *columns, "passed", "total", "status"])
    for row in rows:
        states = [row.outcomes[e].state for e in columns]
        writer.writerow(
            [row.name, row.source, *states, row.passed, len(columns), row.status]
        )
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
                "passed": row.passed,
                "total": len(columns),
                "exercises": {
                    e: {
                        "state": row.outcomes[e].state,
                        "detail": row.outcomes[e].detail,
                    }
                    for e in columns
                },
            }
            for row in rows
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _stubbed(
    body: str,
) -> tuple[list[str], dict[str, tuple[int, int]], dict[str, list[str]]]:
    """The cell as an attendee first sees it, where each region's stub sits in it,
    and each region's solution lines."""
    lines: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    solutions: dict[str, list[str]] = {}
    for part in parse(body):
        if isinstance(part, str):
            lines.append(part)
        else:
            spans[part.id] = (len(lines), len(lines) + len(part.stub))
            lines += part.stub
            solutions[part.id] = part.solution
    return lines, spans, solutions


def attendee_code(
    stub_lines: list[str], span: tuple[int, int], mine: list[str]
) -> list[str]:
    """The attendee's lines that took the place of the stub lines in `span`."""
    start, end = span
    taken: list[int] = []
    matcher = difflib.SequenceMatcher(None, stub_lines, mine, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lo, hi = max(i1, start), min(i2, end)
            taken += range(j1 + lo - i1, j1 + hi - i1) if lo < hi else []
        elif (i1 < end and i2 > start) or (i1 == i2 and start <= i1 <= end):
            taken += range(j1, j2)
    return mine[min(taken) : max(taken) + 1] if taken else []


def _resolved(body: str) -> str:
    """The code a cell writes: a notebook with region markers in it keeps its solutions."""
    try:
        return render(body, stub=False)
    except WorkshopError:
        return body


def side_by_side(left: list[str], right: list[str], width: int = 48) -> list[str]:
    def cut(text: str) -> str:
        return text if len(text) <= width else text[: width - 1] + "…"

    rows = [f"{'attendee':<{width}}   solution"]
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        mark = {"equal": " ", "replace": "|", "delete": "<", "insert": ">"}[tag]
        for k in range(max(i2 - i1, j2 - j1)):
            a = cut(left[i1 + k]) if i1 + k < i2 else ""
            b = cut(right[j1 + k]) if j1 + k < j2 else ""
            rows.append(f"{a:<{width}} {mark} {b}".rstrip())
    return rows


def diffs(columns: list[str], rows: list[Row]) -> str:
    """Per attendee and exercise, the attendee's code beside the solution's."""
    out: list[str] = []
    for row in rows:
        for found in row.notebooks:
            lesson, written = found.lesson, found.bodies()
            for exercise in (e for e in lesson.exercises if e in columns):
                home = lesson.homes[exercise]
                stub_lines, spans, solutions = _stubbed(lesson.bodies[home])
                heading = f"── {row.name} · {exercise} ({home.path}) {MARKS[row.outcomes[exercise].state]}"
                if home not in written:
                    out += [heading, "   (the cell is missing)", ""]
                    continue
                mine = attendee_code(
                    stub_lines, spans[exercise], _resolved(written[home]).split("\n")
                )
                if mine == solutions[exercise]:
                    out += [heading, "   (same as the solution)", ""]
                    continue
                out += [heading, *side_by_side(mine, solutions[exercise]), ""]
    return "\n".join(out).rstrip() + "\n" if out else "No exercise code to compare.\n"
