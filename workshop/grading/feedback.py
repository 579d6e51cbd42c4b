"""One Markdown file per attendee: their grades, what each check said, and for
what did not pass, their code against the solution (like nbgrader's feedback).

Written by `workshop grade --feedback FOLDER`, to hand back after the day.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from workshop.checking import all_exercises
from workshop.grading.alignment import solution as solution_of
from workshop.grading.rows import Row, State
from workshop.grading.table import mark, status

WORDS = {
    State.PASSED: "passed",
    State.FAILED: "not yet",
    State.NOT_STARTED: "not started",
    State.SOLVED_BY_TOOL: "solved with `workshop solve`",
    State.MISSING: "missing",
    State.VOID: "not graded",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fenced(lines: list[str], language: str) -> list[str]:
    fence = "```"
    while any(fence in line for line in lines):
        fence += "`"
    return [f"{fence}{language}", *lines, fence]


def _exercise(row: Row, exercise: str) -> list[str]:
    outcome = row.outcomes[exercise]
    title = all_exercises()[exercise].title if exercise in all_exercises() else ""
    lines = [f"## {exercise} {title}: {WORDS[outcome.state]}", ""]
    lines += [f"- {message}" for message in outcome.messages]
    if not outcome.messages and outcome.detail:
        lines.append(f"- {outcome.detail}")
    grade = next(
        (g for g in row.lessons.values() if exercise in g.found.lesson.exercises), None
    )
    answer = grade.work.answers.get(exercise) if grade else None
    if grade and answer and answer.started and outcome.state is not State.PASSED:
        home = grade.found.lesson.homes[exercise]
        solution = solution_of(grade.found.lesson, exercise)
        diff = difflib.unified_diff(
            answer.lines, solution, "yours", "solution", lineterm=""
        )
        lines += ["", f"Your code in `{home.path}` against the solution:", ""]
        lines += _fenced(list(diff), "diff")
    return [*lines, ""]


def feedback(columns: list[str], row: Row) -> str:
    lines = [f"# Feedback for {row.name}", ""]
    lines += ["| " + " | ".join([*columns, "total", "status"]) + " |"]
    lines += ["|" + " --- |" * (len(columns) + 2)]
    marks = [mark(row.outcomes[e]) for e in columns]
    lines += [
        "| "
        + " | ".join(map(_cell, [*marks, f"{row.passed}/{len(columns)}", status(row)]))
        + " |",
        "",
    ]
    for exercise in columns:
        if row.outcomes[exercise].state is not State.MISSING or row.handed_in(exercise):
            lines += _exercise(row, exercise)
    return "\n".join(lines).rstrip() + "\n"


def file_name(name: str) -> str:
    """A file name for an attendee's feedback: their name, nothing that climbs out."""
    safe = re.sub(r"[^\w.-]+", "-", name).strip(".-")
    return f"{safe or 'attendee'}.md"


def write_all(folder: Path, columns: list[str], rows: list[Row]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for row in rows:
        path = folder / file_name(row.name)
        path.write_text(feedback(columns, row), encoding="utf-8")
        written.append(path)
    return written
