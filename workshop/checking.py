"""How an exercise check is written and run: `@exercise`, `Checker`, `Result`.

The lesson modules in `workshop.exercises` register their checks here, each with
its hints in stages (a nudge first, then a closer one; the answer itself is in
`solutions/`) and the number of steps it takes when it runs to the end, so a
check that stops early reports what it did not run. A check runs in a process of
its own, never in the attendee's kernel: a fresh interpreter for `check()`
(workshop.attendee.feedback), where `check_in_process` runs it beside the app.
When grading, a lesson in `workshop.grading.judge.JUDGED_OUTSIDE` is judged in
the grader's own process instead, by a `Checker` whose app, client and calls go
over a narrow channel to the sandbox (workshop.grading.judge); the others run in
a fenced worker through `check_in_process`. A check reaches the app only through
its `Checker` (`app`, `client`, `call`, `observe`) to run the same way in both.
"""

from __future__ import annotations

import importlib
import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop import answers, syntax
from workshop.databases import fresh_database_url


@dataclass
class Step:
    ok: bool
    text: str  # what is expected, the same on every run
    got: str = ""  # what came back instead, shown only when the step fails


@dataclass
class Result:
    exercise: str
    title: str = ""
    hint: str = ""  # the first hint: a nudge
    steps: list[Step] = field(default_factory=list)
    error: str | None = None  # why the check stopped before its end
    hints: list[str] = field(default_factory=list)  # every stage, the nudge first
    expected: int = 0  # the steps of a run to the end (0: not declared)
    blocked: str | None = None  # "app/x.py does not import": why no step ran

    @property
    def total(self) -> int:
        return max(self.expected, len(self.steps))

    @property
    def not_run(self) -> int:
        return self.total - len(self.steps)

    @property
    def passed(self) -> bool:
        return (
            self.error is None
            and bool(self.steps)
            and self.not_run == 0
            and all(s.ok for s in self.steps)
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        steps = [Step(**step) for step in data.pop("steps")]
        return cls(**data, steps=steps)


@dataclass(frozen=True)
class Called:
    """What calling a function (or class) of the app did, as plain data only:
    a check compares these fields, never an object the app made, whose `__eq__`
    or `__bool__` would be the app's."""

    raised: bool = False
    type: str = ""  # the type of what it returned, or of the exception it raised
    returned: Any = None  # what it returned, when that is plain JSON data
    plain: bool = False  # is `returned` what it returned?
    message: str = ""  # str() of the exception raised
    errors: tuple[str, ...] = ()  # the error types of a Pydantic ValidationError


PLAIN = (str, int, float, bool, type(None))


def is_plain(value: object, depth: int = 0) -> bool:
    """Is `value` JSON data made of exactly these types (no subclass)?"""
    if depth > 20:
        return False
    if type(value) in PLAIN:
        return True
    if type(value) is list and isinstance(value, list):
        return all(is_plain(v, depth + 1) for v in value)
    if type(value) is dict and isinstance(value, dict):
        return all(type(k) is str and is_plain(v, depth + 1) for k, v in value.items())
    return False


def call(target: str, arguments: dict[str, Any]) -> Called:
    """Call `target` ("app.module:name") with keyword `arguments`, and say what
    it did as plain data."""
    module, _, name = target.partition(":")
    if module.split(".")[0] != "app" or not name.isidentifier():
        raise ValueError(f"not a function of the app: {target!r}")
    function = getattr(importlib.import_module(module), name)
    try:
        value = function(**arguments)
    except Exception as error:
        errors: tuple[str, ...] = ()
        from pydantic import ValidationError

        if isinstance(error, ValidationError):
            errors = tuple(str(e["type"]) for e in error.errors())
        return Called(True, type(error).__name__, message=str(error), errors=errors)
    plain = is_plain(value)
    return Called(False, type(value).__name__, value if plain else None, plain)


def observation(function: Callable[..., Any]) -> Callable[..., Any]:
    """Register a function that looks at the app where the app runs and returns
    plain data for a check to judge (`Checker.observe`): what a check cannot ask
    through a request or a call, such as a probe route built on a dependency of
    the app. It lives in `workshop.exercises.observations`, so it runs in the
    attendee's sandbox when graded, and decides nothing: its check does."""
    OBSERVATIONS[observation_name(function)] = function
    return function


def observation_name(function: Callable[..., Any]) -> str:
    """'lesson03.pagination' for `pagination` in observations/lesson03.py."""
    return f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}"


def observe(name: str, arguments: dict[str, Any]) -> Any:
    """What the observation `name` saw, given `arguments`; only plain data
    (`is_plain`) goes in or comes out, as over the grading channel."""
    import workshop.exercises.observations  # noqa: F401  (registers them)

    function = OBSERVATIONS.get(name)
    if function is None:
        raise ValueError(f"no such observation: {name!r}")
    if not is_plain(arguments):
        raise TypeError(f"{name} takes plain data only")
    value = function(**arguments)
    if not is_plain(value):
        raise TypeError(f"{name} saw {type(value).__name__}, not plain data")
    return value


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    hints: tuple[str, ...]  # the nudge first; never the code itself
    steps: int  # how many steps a run to the end records
    function: Callable[[Checker], None]
    env: dict[str, str] = field(default_factory=dict)

    @property
    def hint(self) -> str:
        return self.hints[0]


EXERCISES: dict[str, Exercise] = {}
OBSERVATIONS: dict[str, Callable[..., Any]] = {}  # by observation_name


def exercise(
    id: str,
    title: str,
    *,
    hints: tuple[str, ...],
    steps: int,
    env: dict[str, str] | None = None,
) -> Callable[[Callable[[Checker], None]], Callable[[Checker], None]]:
    """Register a check: `hints=(nudge, closer)`, `steps` as many as the
    solution records; `env` is set before the app is imported."""
    if len(hints) < 2 or not all(isinstance(h, str) and h.strip() for h in hints):
        raise ValueError(f"exercise {id}: give hints=(nudge, closer), two texts")
    if steps < 1:
        raise ValueError(f"exercise {id}: steps= is how many steps the check records")

    def register(function: Callable[[Checker], None]) -> Callable[[Checker], None]:
        EXERCISES[id] = Exercise(id, title, tuple(hints), steps, function, env or {})
        return function

    return register


class Checker:
    """What a check uses: the attendee's app, and methods that record each step."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.errors: answers.ServerErrors | None = None

    def expect(self, ok: object, text: str, got: object = "") -> bool:
        self.steps.append(Step(bool(ok), text, "" if ok else str(got)))
        return bool(ok)

    def status(self, response: Any, expected: int, text: str) -> bool:
        """A step: `response` has status `expected`; on failure it says what came
        back ("500, raised by KeyError … (app/x.py, line 3)", "200 {...}")."""
        return self.expect(
            response.status_code == expected,
            f"{text} ({expected})",
            got=self.describe(response),
        )

    def describe(self, response: Any) -> str:
        """What came back, for a `got=`: the status and a short body, or the
        exception behind a 500."""
        return answers.describe(response, self.errors)

    def json(self, response: Any) -> Any:
        """The body of a successful JSON answer. Anything else stops the check
        with the request, the status and a short body."""
        return answers.json_of(response, self.errors)

    def call(self, target: str, **arguments: Any) -> Called:
        """Call a function (or a model) of the app, `target` "app.module:name",
        with keyword arguments; what it did comes back as plain data."""
        return call(target, arguments)

    def observe(self, function: Callable[..., Any], **arguments: Any) -> Any:
        """What an observation (`@observation`) saw, as plain data."""
        return observe(observation_name(function), arguments)

    def settings(self, **values: Any) -> Any:
        """Settings given explicitly, as tests give them (see `app_settings`)."""
        return app_settings(**values)

    def app(self, **values: Any) -> Any:
        """The attendee's app, built by `create_app` with `self.settings(**values)`."""
        from app.main import create_app

        return create_app(self.settings(**values))

    @contextmanager
    def client(self, app: Any = None) -> Iterator[Any]:
        """A TestClient for `app` (default: `create_app()`), lifespan running;
        a 500 is kept with the exception behind it, for `status` and `json`."""
        from fastapi.testclient import TestClient

        self.errors = answers.ServerErrors(app or self.app(), explain)
        with TestClient(self.errors, raise_server_exceptions=False) as client:
            yield client


def app_settings(**values: Any) -> Any:
    """Settings given explicitly, as tests give them: no .env, test environment,
    cheap password hashing and a fresh database where the lesson has them."""
    from app.config import Settings

    known = {
        "environment": "test",
        "argon2_time_cost": 1,
        "argon2_memory_kib": 1024,
        "argon2_parallelism": 1,
    }
    url = fresh_database_url(Path.cwd())
    if url is not None:
        known["database_url"] = url
    chosen = {k: v for k, v in known.items() if k in Settings.model_fields}
    return Settings(_env_file=None, **{**chosen, **values})


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
    if isinstance(error, answers.UnexpectedAnswer):
        return str(error)
    if isinstance(error, SyntaxError):
        return syntax.describe(error, Path.cwd())
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
    """Run a check here; the caller is a process made for it (its env is changed).

    The app's files are compiled first: a file that does not compile is named
    once, with its line, and no step runs."""
    ex = all_exercises()[exercise_id]
    os.environ.update(ex.env)
    checker = Checker()
    result = Result(
        ex.id, ex.title, ex.hint, checker.steps, hints=list(ex.hints), expected=ex.steps
    )
    broken = syntax.first_broken(Path.cwd())
    if broken is not None:
        result.error, result.blocked = broken.message, f"{broken.path} does not import"
        return result
    try:
        ex.function(checker)
    except Exception as error:
        result.error = explain(error)
    return result
