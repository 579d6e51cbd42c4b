"""`check()` and `workshop check`: an exercise checked in a fresh interpreter.

A check never trusts the attendee's kernel: it starts a new Python process in the
checkout, imports the files as they are on disk, and writes its verdict to a file
(so an exercise that prints megabytes, hangs or crashes cannot garble it).
`python -m workshop.attendee.feedback ID VERDICT.json` is that process; `report`
(workshop.attendee.report) says the verdict in plain words.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from workshop import child, timeouts
from workshop.checking import (
    Result,
    all_exercises,
    check_in_process,
    exercises_of,
    lesson_of,
)

CHILD = "workshop.attendee.feedback"  # this module, run as the check's process


def _unknown(exercise_id: str) -> Result:
    lesson = lesson_of(exercise_id)
    same = exercises_of(lesson) if lesson is not None else []
    hint = (
        f"lesson {lesson:02d} has {', '.join(same)}."
        if same
        else "exercise ids name the lesson and the exercise, like 01.2."
    )
    return Result(exercise_id, error=f"There is no exercise {exercise_id}; {hint}")


def check_in_child(
    root: Path, exercise_id: str, timeout: float = timeouts.CHECK
) -> Result:
    """Run a check in a fresh interpreter inside `root`."""
    exercises = all_exercises()
    if exercise_id not in exercises:
        return _unknown(exercise_id)
    ex = exercises[exercise_id]

    def failed(error: str) -> Result:
        return Result(
            ex.id,
            ex.title,
            ex.hint,
            error=error,
            hints=list(ex.hints),
            expected=ex.steps,
        )

    with tempfile.TemporaryDirectory(prefix="workshop-check-") as tmp:
        verdict, log = Path(tmp, "result.json"), Path(tmp, "output.log")
        command = [sys.executable, "-m", CHILD, exercise_id, str(verdict)]
        with log.open("wb") as output:
            try:
                subprocess.run(
                    command,
                    cwd=root,
                    # its temporary files go in here, and go with it
                    env=child.environment(no_bytecode=True, TMPDIR=tmp),
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                return failed(
                    f"Timed out after {timeout:g} s: does your code wait forever "
                    "or loop without end?"
                )
        if verdict.exists():
            return Result.from_json(json.loads(verdict.read_text(encoding="utf-8")))
        return failed("The check could not run: " + child.last_line(log))


if __name__ == "__main__":
    outcome = check_in_process(sys.argv[1])
    Path(sys.argv[2]).write_text(json.dumps(asdict(outcome)), encoding="utf-8")
