"""`workshop notes 04`: the instructor's notes for a lesson, from what the
repository knows of it.

The lesson's goals; its sections with the minutes the time model gives each
(workshop.authoring.timing) and a running clock; for each section, the files its
cells write, short ones to type live and long ones to walk through; each
exercise with its title, its hints, and the mistakes attendees make (the wrong
answers every check is proven to reject); and a one-page sheet for attendees.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from workshop.authoring import notebooks, timing
from workshop.checking import all_exercises, exercises_of
from workshop.project import lesson_number

LIVE_LINES = 25  # a file cell this short is worth typing in front of the room


def mistakes(lesson: int) -> dict[str, list[str]]:
    """The labelled wrong answers of a lesson's exercises: exercise → labels."""
    try:
        module = importlib.import_module(
            f"workshop.tests.wrong_answers.lesson{lesson:02d}"
        )
    except ImportError:
        return {}
    return {exercise: list(answers) for exercise, answers in module.WRONG.items()}


def _goals(first_cell: str) -> list[str]:
    after = first_cell.split("**Goals**", 1)[-1] if "**Goals**" in first_cell else ""
    return [m.group(1) for m in re.finditer(r"^\d+\.\s+(.+)$", after, re.MULTILINE)]


def _files(path: Path) -> dict[str, list[tuple[str, int]]]:
    """Section title → the files its cells write, with their lines."""
    found: dict[str, list[tuple[str, int]]] = {}
    section = "Introduction"
    cells = notebooks.read(path).cells
    writes = {c.index: c for c in notebooks.file_cells(cells)}
    for index, cell in enumerate(cells):
        heading = (
            re.match(r"## (.+)", cell.source) if cell.cell_type == "markdown" else None
        )
        if heading:
            section = heading.group(1).strip()
        written = writes.get(index)
        if written is not None and written.body is not None:
            lines = sum(1 for ln in written.body.splitlines() if ln.strip())
            found.setdefault(section, []).append((written.path, lines))
    return found


def lesson_notes(path: Path) -> str:
    number = lesson_number(path)
    first = notebooks.read(path).cells[0].source
    title, stated = timing.stated(path)
    parts = timing.sections(path)
    files = _files(path)
    lines = [
        f"# Instructor notes · {title}",
        "",
        f"Stated time: about {stated or '?'} minutes; the "
        f"time model gives {timing.estimate(path)}. Times per section come from the "
        "model; the board's CSV (`minutes to pass`) measures your room.",
        "",
        "## Objectives",
        "",
        *[f"{n}. {goal}" for n, goal in enumerate(_goals(first), 1)],
        "",
        "## Plan",
        "",
        "| Starts at | Section | Minutes | Live-code (≤ 25 lines) | Walk through |",
        "| --- | --- | --- | --- | --- |",
    ]
    clock = 0.0
    for part in parts:
        written = files.get(part.title, [])
        live = ", ".join(f"`{p}` ({n})" for p, n in written if n <= LIVE_LINES)
        walk = ", ".join(f"`{p}` ({n})" for p, n in written if n > LIVE_LINES)
        lines.append(
            f"| {round(clock)} min | {part.title} | {round(part.minutes)} | {live} "
            f"| {walk} |"
        )
        clock += part.minutes
    exercises = all_exercises()
    wrong = mistakes(number)
    lines += ["", "## Exercises", ""]
    for exercise_id in exercises_of(number):
        exercise = exercises[exercise_id]
        lines += [
            f"### {exercise_id} · {exercise.title} ({timing.PER_EXERCISE} min)",
            "",
            *[f"- Hint {n}: {hint}" for n, hint in enumerate(exercise.hints, 1)],
            "- Mistakes the check catches, as attendees make them: "
            + ("; ".join(wrong.get(exercise_id, [])) or "none recorded"),
            "",
        ]
    lines += cheat_sheet(number)
    return "\n".join(lines)


def cheat_sheet(lesson: int) -> list[str]:
    """One page for attendees: the calls of the day, with this lesson's ids."""
    ids = exercises_of(lesson)
    first = ids[0] if ids else f"{lesson:02d}.1"
    return [
        "## Attendee sheet",
        "",
        "| To | In a notebook | In a terminal |",
        "| --- | --- | --- |",
        f'| check an exercise | `check("{first}")` | `workshop check {first}` |',
        f'| a closer hint | `check("{first}", hint=2)` | '
        f"`workshop check {first} --hint 2` |",
        f'| catch up to this lesson | `checkpoint("{lesson:02d}")` | '
        f"`workshop checkpoint {lesson:02d}` |",
        f"| skip one exercise | | `workshop solve {first}` |",
        f"| start one again | | `workshop reset {first}` |",
        "| run the service's tests | `run_tests()` | `pytest tests` |",
        '| join the board | `join("URL", "CODE", "name")` | '
        '`workshop join URL CODE "name"` |',
        '| hand in | `submit("your-name")` | `workshop submit your-name` |',
        "",
        f"This lesson's exercises: {', '.join(ids) or 'none'}.",
    ]
