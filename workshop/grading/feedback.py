"""One Markdown file per attendee: their grades, what each check said, and for
what did not pass, their code against the solution (like nbgrader's feedback).

Written by `workshop grade --feedback FOLDER`, to hand back after the day.
Every text from a submission (its name, what its app answered) is escaped for
Markdown and HTML, so a feedback file shows it and never renders it as a link,
an image or markup; code goes in a fence longer than any backquotes in it.
Two submissions of one name get no feedback file (their rows say why), so one
attendee cannot write another's.
"""

from __future__ import annotations

import difflib
import html
import re
from pathlib import Path

from workshop.checking import all_exercises
from workshop.grading.alignment import solution as solution_of
from workshop.grading.names import printable
from workshop.grading.rows import Row, State
from workshop.grading.table import escape, mark, status

WORDS = {
    State.PASSED: "passed",
    State.FAILED: "not yet",
    State.NOT_STARTED: "not started",
    State.SOLVED_BY_TOOL: "solved with `workshop solve`",
    State.MISSING: "missing",
    State.VOID: "not graded",
}


_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:=])")


def md(text: str) -> str:
    """`text` as plain text in Markdown: no markup, no HTML, no link, one line."""
    plain = escape(printable(str(text)))
    return html.escape(_PUNCTUATION.sub(r"\\\1", plain), quote=False)


def _cell(text: str) -> str:
    return md(text)


def _fenced(lines: list[str], language: str) -> list[str]:
    fence = "```"
    while any(fence in line for line in lines):
        fence += "`"
    return [f"{fence}{language}", *lines, fence]


def _exercise(row: Row, exercise: str) -> list[str]:
    outcome = row.outcomes[exercise]
    title = all_exercises()[exercise].title if exercise in all_exercises() else ""
    lines = [f"## {exercise} {md(title)}: {WORDS[outcome.state]}", ""]
    lines += [f"- {md(message)}" for message in outcome.messages]
    if not outcome.messages and outcome.detail:
        lines.append(f"- {md(outcome.detail)}")
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
    lines = [f"# Feedback for {md(row.name)}", ""]
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
    """A file per row whose name is its own; a row that fails is skipped and
    named (the others are written), then the failure is raised."""
    folder.mkdir(parents=True, exist_ok=True)
    written, failed = [], []
    for row in rows:
        if row.clashes:
            continue
        try:
            path = folder / file_name(row.name)
            path.write_text(printable(feedback(columns, row)), encoding="utf-8")
            written.append(path)
        except Exception as error:
            failed.append(f"{escape(row.name)} ({type(error).__name__}: {error})")
    if failed:
        raise RuntimeError(f"no feedback for {', '.join(failed)}")
    return written
