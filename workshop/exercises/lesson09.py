"""Checks for 09 · Deployment.

No server and no container: the app runs in-process on SQLite, a database that is
down is a port on 127.0.0.1 that refuses connections, or an engine whose
connections never come, gunicorn.conf.py is
imported as Gunicorn imports it, and the Dockerfile is read as instructions.
Timeouts, worker counts and CPU counts are chosen at random for each run.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import os
import re
import secrets
import shlex
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

from workshop.checking import Checker, exercise

READY = "/health/ready"
PROBLEM_JSON = "application/problem+json"
REFUSING = "postgresql+asyncpg://check@127.0.0.1:1/check"  # nothing listens there


def _timed_get(client: Any, path: str, limit: float) -> tuple[Any, float]:
    """GET `path` in a thread; (the response or None after `limit` s, seconds)."""
    answer: list[Any] = []
    started = time.monotonic()
    worker = threading.Thread(
        target=lambda: answer.append(client.get(path)), daemon=True
    )
    worker.start()
    worker.join(limit)
    return (answer[0] if answer else None), time.monotonic() - started


class _HangingEngine:
    """The app's engine, except that a connection never comes: a database that
    accepts and never answers (no network needed, none in a grading sandbox).
    The wait ends on its own after `hang` seconds, so the app can stop."""

    def __init__(self, engine: Any, hang: float) -> None:
        self.engine, self.hang = engine, hang

    def connect(self) -> Any:
        return _Hung(self.hang)

    def __getattr__(self, name: str) -> Any:  # dispose() at shut-down, and the rest
        return getattr(self.engine, name)


class _BrokenEngine(_HangingEngine):
    """Connections come from the pool at once, and every statement fails on them,
    as when the server went away after the pool opened them."""

    def connect(self) -> Any:
        return _Broken()


class _Broken:
    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def __getattr__(self, name: str) -> Any:  # execute, scalar, exec_driver_sql...
        async def fails(*args: Any, **kwargs: Any) -> Any:
            from sqlalchemy.exc import OperationalError

            raise OperationalError(
                "SELECT 1", {}, Exception("server closed the connection unexpectedly")
            )

        return fails


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:
            self.messages.append("")  # a message that cannot be formatted


class _Hung:
    def __init__(self, hang: float) -> None:
        self.hang = hang

    async def __aenter__(self) -> Any:
        await asyncio.sleep(self.hang)
        raise ConnectionResetError("the database never answered")

    async def __aexit__(self, *exc: object) -> None:
        return None


def _is_503_problem(response: Any) -> bool:
    if response is None or response.status_code != 503:
        return False
    if not response.headers.get("content-type", "").startswith(PROBLEM_JSON):
        return False
    body = response.json()
    return (
        body.get("status") == 503
        and body.get("title") == "Service Unavailable"
        and bool(body.get("detail"))
        and body.get("request_id") == response.headers.get("X-Request-ID")
        and response.headers.get("Retry-After", "").isdigit()
    )


def _said(response: Any) -> str:
    if response is None:
        return "no answer"
    return (
        f"{response.status_code} {response.headers.get('content-type')} "
        f"Retry-After: {response.headers.get('Retry-After')} {response.text[:160]}"
    )


@exercise(
    "09.1",
    "Ready only when the database answers",
    hints=(
        "Readiness asks the database something trivial through the app's engine, "
        "and gives up after settings.readiness_timeout seconds; what a client gets "
        "when it gives up is the service's problem format, with status 503.",
        "Wrap the work in asyncio.timeout() with the setting as its delay; in it, "
        "open a connection from request.app.state.engine and execute "
        "text('SELECT 1'). Catch OSError, TimeoutError and SQLAlchemyError, log "
        "the error with logger.warning, and return the problem that "
        "problem_response builds for status 503, with the status's phrase as "
        "its title and a Retry-After header.",
    ),
    steps=7,
)
def readiness_asks_the_database(t: Checker) -> None:
    with t.client(t.app()) as client:
        answer = client.get(READY)
        t.expect(
            answer.status_code == 200 and answer.json().get("status") == "ready",
            "with its database up, /health/ready answers 200 {'status': 'ready', ...}",
            got=_said(answer),
        )
    warnings = _Warnings()
    logging.getLogger("app").addHandler(warnings)
    try:
        with t.client(t.app(database_url=REFUSING)) as client:
            answer, _ = _timed_get(client, READY, 30)
            live = client.get("/health")
    finally:
        logging.getLogger("app").removeHandler(warnings)
    t.expect(
        _is_503_problem(answer),
        "with a database that refuses connections, /health/ready answers a 503 "
        "problem (application/problem+json, Service Unavailable, its request_id, "
        "a Retry-After)",
        got=_said(answer),
    )
    t.expect(
        any(message.strip() for message in warnings.messages),
        "why the service is not ready is logged as a warning (the error, in the "
        "app's logger), for whoever reads the logs",
        got=f"warnings logged: {warnings.messages[-3:]!r}",
    )
    t.expect(
        live.status_code == 200,
        "/health stays 200 while the database is down: liveness touches nothing",
        got=_said(live),
    )
    app = t.app()
    with t.client(app) as client:
        app.state.engine = _BrokenEngine(app.state.engine, hang=0)
        answer, _ = _timed_get(client, READY, 30)
    t.expect(
        _is_503_problem(answer),
        "with connections that open and statements that fail (the server went away "
        "after the pool opened them), /health/ready answers a 503 problem: it asks "
        "the database something, and waits for the answer",
        got=_said(answer),
    )
    timeout = round(2.5 + secrets.randbelow(60) / 100, 2)  # above the default
    app = t.app(readiness_timeout=timeout)
    with t.client(app) as client:
        app.state.engine = _HangingEngine(app.state.engine, hang=timeout + 8)
        answer, took = _timed_get(client, READY, timeout + 6)
    t.expect(
        _is_503_problem(answer),
        "with a database that never answers, /health/ready gives up with a 503 problem",
        got=f"{_said(answer)} after {took:.1f} s (readiness_timeout={timeout})",
    )
    t.expect(
        answer is not None and took >= timeout - 0.05,
        "it waits readiness_timeout seconds from the settings before giving up, "
        "not a number of its own",
        got=f"it answered after {took:.2f} s with readiness_timeout={timeout}",
    )


def _gunicorn_conf(environment: dict[str, str], cpus: int | None) -> ModuleType:
    """gunicorn.conf.py imported as Gunicorn does, with only `environment` as
    APP_* variables and `cpus` CPUs."""
    from app.config import get_settings

    clean = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
    with (
        mock.patch.dict(os.environ, {**clean, **environment}, clear=True),
        mock.patch("os.cpu_count", return_value=cpus),
    ):
        get_settings.cache_clear()
        try:
            spec = importlib.util.spec_from_file_location(
                "gunicorn_conf", Path.cwd() / "gunicorn.conf.py"
            )
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        finally:
            get_settings.cache_clear()
    return module


@exercise(
    "09.2",
    "Workers from settings",
    hints=(
        "Two sources, in order: the setting, when it is set (an unset one is None), "
        "then the number of CPUs. Gunicorn's 2 x CPUs + 1 is for synchronous "
        "workers, not for event loops.",
        "Two answers can be missing: an unset setting, and a CPU count that "
        "Python could not find (read what os.cpu_count() returns then). Each "
        "needs a fallback. APP_WORKERS reaches you through the settings you "
        "were given, never through os.environ.",
    ),
    steps=3,
)
def workers_come_from_settings(t: Checker) -> None:
    cpus = 3 + secrets.randbelow(30)
    wanted = secrets.choice([n for n in range(2, 40) if n not in (cpus, 2 * cpus + 1)])
    conf = _gunicorn_conf({"APP_WORKERS": str(wanted)}, cpus)
    t.expect(
        conf.workers == wanted,
        "with APP_WORKERS set, Gunicorn starts that many workers",
        got=f"APP_WORKERS={wanted}: workers = {conf.workers!r} ({cpus} CPUs)",
    )
    conf = _gunicorn_conf({}, cpus)
    t.expect(
        conf.workers == cpus,
        "without APP_WORKERS, one worker per CPU",
        got=f"{cpus} CPUs: workers = {conf.workers!r}",
    )
    conf = _gunicorn_conf({}, None)
    t.expect(
        conf.workers == 1 and conf.worker_class == "uvicorn_worker.UvicornWorker",
        "when the CPU count is unknown (os.cpu_count() is None), 1 Uvicorn worker "
        "(uvicorn_worker.UvicornWorker)",
        got=f"workers = {conf.workers!r}, worker_class = {conf.worker_class!r}",
    )


def _stages(text: str) -> list[list[tuple[str, str]]]:
    """Each stage's (INSTRUCTION, arguments): continuations joined, comments out."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    found: list[list[tuple[str, str]]] = []
    for line in filter(str.strip, joined.splitlines()):
        word, _, rest = line.strip().partition(" ")
        if word.upper() == "FROM":
            found.append([])
        if found:
            found[-1].append((word.upper(), rest.strip()))
    return found


def _healthcheck_command(arguments: str) -> list[str]:
    command = re.sub(r"^(--\S+\s+)*CMD\s+", "", arguments)
    try:
        return [str(part) for part in json.loads(command)]
    except ValueError:
        return shlex.split(command)


@exercise(
    "09.3",
    "An image that does not run as root",
    hints=(
        "USER applies to every instruction after it and to the container's "
        "process. A number can be verified by the platform; a name must be looked "
        "up. The health check is the platform's liveness probe, run inside the "
        "image, where slim Python has no curl.",
        "Create the group and the user with groupadd and useradd (--system, id "
        "10001), switch to them with USER, giving the user id and the group id "
        "as numbers, then add a HEALTHCHECK whose CMD runs python -c with "
        "urllib.request opening http://127.0.0.1:8000/health.",
    ),
    steps=4,
)
def the_image_runs_unprivileged(t: Checker) -> None:
    stages = _stages(Path("Dockerfile").read_text(encoding="utf-8"))
    final = stages[-1] if stages else []
    words = [word for word, _ in final]
    users = [(i, args) for i, (word, args) in enumerate(final) if word == "USER"]
    last = users[-1][1].split(":")[0] if users else None
    t.expect(
        last is not None and last.isdigit() and last != "0",
        "the runtime stage ends as a user that is not root, given by number",
        got=f"USER {users[-1][1]}" if users else "no USER in the last stage: root",
    )
    created = [
        i
        for i, (word, args) in enumerate(final)
        if word == "RUN" and re.search(rf"(useradd|adduser)\b.*\b{last}\b", args)
    ]
    t.expect(
        bool(users)
        and bool(created)
        and created[0] < users[-1][0] < words.index("CMD"),
        "the user is created (useradd) before USER, and USER comes before CMD",
        got=f"instructions of the last stage: {' '.join(words)}",
    )
    checks = [args for word, args in final if word == "HEALTHCHECK"]
    command = _healthcheck_command(checks[-1]) if checks else []
    said = " ".join(command)
    t.expect(
        bool(re.search(r"127\.0\.0\.1:8000/health\b(?!/)", said)),
        "the HEALTHCHECK asks the liveness endpoint, http://127.0.0.1:8000/health",
        got=said or "no HEALTHCHECK in the last stage",
    )
    t.expect(
        bool(command) and command[0] in {"python", "python3", "/opt/venv/bin/python"},
        "the HEALTHCHECK runs Python (slim images have no curl or wget)",
        got=said or "no HEALTHCHECK",
    )
