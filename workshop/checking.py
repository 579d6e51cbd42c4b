"""Exercise checks: run one in a fresh interpreter, report in plain words.

A check never trusts the attendee's kernel: it starts a new Python process in the
checkout, imports the files as they are on disk, and writes its verdict to a file
(so an exercise that prints megabytes, hangs or crashes cannot garble it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 60


@dataclass
class Step:
    ok: bool
    text: str  # what is expected, the same on every run
    got: str = ""  # what came back instead, shown only when the step fails


@dataclass
class Result:
    exercise: str
    title: str = ""
    hint: str = ""
    steps: list[Step] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and bool(self.steps) and all(s.ok for s in self.steps)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        steps = [Step(**step) for step in data.pop("steps")]
        return cls(**data, steps=steps)


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    hint: str
    run: Callable[[Checker], None]
    env: dict[str, str] = field(default_factory=dict)


EXERCISES: dict[str, Exercise] = {}


def exercise(id: str, title: str, *, hint: str, env: dict[str, str] | None = None):
    """Register a check; `env` is set before the app is imported."""

    def register(run: Callable[[Checker], None]) -> Callable[[Checker], None]:
        EXERCISES[id] = Exercise(id, title, hint, run, env or {})
        return run

    return register


class Checker:
    """What a check uses: the attendee's app, and `expect` to record each step."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def expect(self, ok: object, text: str, got: object = "") -> bool:
        self.steps.append(Step(bool(ok), text, "" if ok else str(got)))
        return bool(ok)

    def app(self):
        from app.main import create_app

        return create_app()

    @contextmanager
    def client(self) -> Iterator[Any]:
        from fastapi.testclient import TestClient

        with TestClient(self.app(), raise_server_exceptions=False) as client:
            yield client


def all_exercises() -> dict[str, Exercise]:
    import workshop.exercises  # noqa: F401  (registers every lesson's checks)

    return EXERCISES


def describe(error: BaseException) -> str:
    """The error, and the line of the attendee's app that raised it."""
    marker = f"{os.sep}app{os.sep}"
    frames = [
        f for f in traceback.extract_tb(error.__traceback__) if marker in f.filename
    ]
    where = ""
    if frames:
        where = (
            f" (app/{frames[-1].filename.split(marker)[-1]}, line {frames[-1].lineno})"
        )
    return f"{type(error).__name__}: {error}{where}"


def run_here(exercise_id: str) -> Result:
    """Run a check in this process (the child side of `run`)."""
    ex = all_exercises()[exercise_id]
    os.environ.update(ex.env)
    checker = Checker()
    result = Result(ex.id, ex.title, ex.hint, checker.steps)
    try:
        ex.run(checker)
    except Exception as error:
        result.error = describe(error)
    return result


def run(root: Path, exercise_id: str, timeout: float = TIMEOUT_SECONDS) -> Result:
    """Run a check in a fresh interpreter inside `root`."""
    exercises = all_exercises()
    if exercise_id not in exercises:
        lesson = exercise_id.split(".")[0]
        same = [e for e in exercises if e.startswith(f"{lesson}.")]
        hint = (
            f"lesson {lesson} has {', '.join(same)}."
            if same
            else "exercise ids name the lesson and the exercise, like 01.2."
        )
        return Result(exercise_id, error=f"There is no exercise {exercise_id}; {hint}")
    ex = exercises[exercise_id]
    env = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    with tempfile.TemporaryDirectory(prefix="workshop-check-") as tmp:
        verdict, log = Path(tmp, "result.json"), Path(tmp, "output.log")
        command = [sys.executable, "-m", "workshop.checking", exercise_id, str(verdict)]
        with log.open("wb") as output:
            try:
                subprocess.run(
                    command,
                    cwd=root,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    timeout=timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                return Result(
                    ex.id,
                    ex.title,
                    ex.hint,
                    error=f"Timed out after {timeout:g} s: does your code "
                    "wait forever or loop without end?",
                )
        if verdict.exists():
            return Result.from_json(json.loads(verdict.read_text(encoding="utf-8")))
        tail = log.read_bytes()[-2000:].decode(errors="replace").strip().splitlines()
        return Result(
            ex.id,
            ex.title,
            ex.hint,
            error="The check could not run: " + (tail[-1] if tail else "no output"),
        )


def report(result: Result) -> str:
    if not result.title:  # not an exercise at all
        return result.error or f"Exercise {result.exercise}: no result."
    heading = f"Exercise {result.exercise}" + (
        f": {result.title}" if result.title else ""
    )
    lines = [heading]
    lines += [
        f"  ✓ {s.text}"
        if s.ok
        else f"  ✗ {s.text}" + (f" (got {s.got})" if s.got else "")
        for s in result.steps
    ]
    if result.error:
        lines.append(f"  ✗ {result.error}")
    if result.passed:
        lines.append(
            f"Done: every check passes ({len(result.steps)} of {len(result.steps)})."
        )
    else:
        passed = sum(s.ok for s in result.steps)
        lines.append(f"Not yet: {passed} of {len(result.steps)} checks pass.")
        if result.hint:
            lines.append(f"Hint: {result.hint}")
    return "\n".join(lines)


if __name__ == "__main__":
    # Import by name: the checks register into `workshop.checking`, not `__main__`.
    from workshop.checking import run_here as _run_here

    outcome = _run_here(sys.argv[1])
    Path(sys.argv[2]).write_text(json.dumps(asdict(outcome)), encoding="utf-8")
