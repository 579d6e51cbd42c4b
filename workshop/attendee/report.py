"""What a check says: each step, honest counts, and the hint of the stage asked for.

    Exercise 01.1: Report the version in the health check
      ✓ GET /health answers (200)
      ✗ the body has a "version" field — got {'status': 'ok'}
    Not yet: 1 of 4 passed, 2 not run.
    Hint (1 of 2): The app factory keeps the settings ...
    Stuck? check("01.1", hint=2) gives a closer hint.

The first failure gets the nudge; a closer hint is asked for by its number, and
the last one points to the solution notebook. Never the code itself.
"""

from __future__ import annotations

from pathlib import Path

from workshop.checking import Result, lesson_of
from workshop.project import lesson_number, solution_notebooks

# How to ask for hint `stage` of `exercise`: in a notebook, and in a terminal.
NOTEBOOK = 'check("{exercise}", hint={stage})'
TERMINAL = "workshop check {exercise} --hint {stage}"


def answer_in(root: Path, exercise_id: str) -> str:
    """Where the answer is: the solution notebook of the exercise's lesson."""
    lesson = lesson_of(exercise_id)
    for path in solution_notebooks(root):
        if lesson_number(path) == lesson:
            return f"solutions/{path.name}"
    return "solutions/"


def counts(result: Result) -> str:
    """'2 of 4 passed, 2 not run: app/x.py does not import'."""
    passed = sum(step.ok for step in result.steps)
    text = f"{passed} of {result.total} passed"
    if result.not_run:
        text += f", {result.not_run} not run"
    return text + (f": {result.blocked}" if result.blocked else "")


def hint_lines(result: Result, stage: int, ask: str, answer: str) -> list[str]:
    hints = result.hints or ([result.hint] if result.hint else [])
    if not hints:
        return []
    stage = min(max(stage, 1), len(hints))
    lines = [f"Hint ({stage} of {len(hints)}): {hints[stage - 1]}"]
    if stage < len(hints):
        more = ask.format(exercise=result.exercise, stage=stage + 1)
        lines.append(f"Stuck? {more} gives a closer hint.")
    else:
        lines.append(f"That is the last hint; the answer itself is in {answer}.")
    return lines


def report(
    result: Result,
    *,
    hint: int = 1,
    ask: str = NOTEBOOK,
    answer: str = "the lesson's notebook in solutions/",
) -> str:
    """The verdict in plain words; on a failure, hint number `hint`."""
    if not result.title:  # not an exercise at all
        return result.error or f"Exercise {result.exercise}: no result."
    lines = [f"Exercise {result.exercise}: {result.title}"]
    lines += [
        f"  ✓ {s.text}"
        if s.ok
        else f"  ✗ {s.text}" + (f" — got {s.got}" if s.got else "")
        for s in result.steps
    ]
    if result.error:
        lines.append(f"  ✗ {result.error}")
    if result.passed:
        lines.append(f"Done: every check passes ({result.total} of {result.total}).")
    else:
        lines.append(f"Not yet: {counts(result)}.")
        lines += hint_lines(result, hint, ask, answer)
    return "\n".join(lines)
