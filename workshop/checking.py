"""How an exercise check is written and run: `@exercise`, `Checker`, `Result`.

The lesson modules in `workshop.exercises` register their checks here. A check
runs in a process of its own, never in the attendee's kernel: a fresh interpreter
for `check()` (workshop.attendee.feedback), a fenced worker when grading
(workshop.grading.worker). Both call `check_in_process`.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


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
    function: Callable[[Checker], None]
    env: dict[str, str] = field(default_factory=dict)


EXERCISES: dict[str, Exercise] = {}


def exercise(id: str, title: str, *, hint: str, env: dict[str, str] | None = None):
    """Register a check; `env` is set before the app is imported."""

    def register(function: Callable[[Checker], None]) -> Callable[[Checker], None]:
        EXERCISES[id] = Exercise(id, title, hint, function, env or {})
        return function

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


def lesson_of(exercise_id: str) -> int | None:
    """'04.2' → 4; None when the id does not start with a lesson number."""
    head = exercise_id.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def exercises_of(lesson: int) -> list[str]:
    """The ids of a lesson's exercises, in order."""
    return [e for e in all_exercises() if lesson_of(e) == lesson]


def explain(error: BaseException) -> str:
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


def check_in_process(exercise_id: str) -> Result:
    """Run a check here; the caller is a process made for it (its env is changed)."""
    ex = all_exercises()[exercise_id]
    os.environ.update(ex.env)
    checker = Checker()
    result = Result(ex.id, ex.title, ex.hint, checker.steps)
    try:
        ex.function(checker)
    except Exception as error:
        result.error = explain(error)
    return result
