"""What lesson 09's checks observe where the app runs (workshop.exercises.lesson09).

Readiness asked with the connections the check chose (real ones, ones whose
statements fail, ones that never come), gunicorn.conf.py imported with the
environment and CPU count the check chose, the Dockerfile's text, and its
HEALTHCHECK's command run against a live port and a dead one. Each returns what
it saw, measured where the app runs; the check judges it.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import http.server
import importlib.util
import json
import logging
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

from workshop.checking import app_settings, is_plain, observation

READY = "/health/ready"
DOCKERFILE_BYTES = 2**20  # a Dockerfile is a page of text, not a megabyte
RUN_SECONDS = 60  # a HEALTHCHECK command still running after this never ends


def _answer(response: Any) -> dict[str, Any] | None:
    """An HTTP answer as plain data (None: no answer came)."""
    if response is None:
        return None
    return {
        "status": response.status_code,
        "headers": [[k, v] for k, v in response.headers.multi_items()],
        "body": response.text,
    }


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

    def begin(self) -> Any:  # a transaction needs a connection just the same
        return self.connect()

    def __getattr__(self, name: str) -> Any:  # dispose() at shut-down, and the rest
        return getattr(self.engine, name)


class _BrokenEngine(_HangingEngine):
    """Connections come from the pool at once, and every statement fails on them,
    as when the server went away after the pool opened them."""

    def connect(self) -> Any:
        return _Broken()


class _StuckEngine(_HangingEngine):
    """Connections come from the pool at once, and a statement on them never
    answers (a server that holds a lock, say); it fails by itself after `hang`
    seconds."""

    def connect(self) -> Any:
        return _Stuck(self.hang)


class _Stuck:
    def __init__(self, hang: float) -> None:
        self.hang = hang

    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def __getattr__(self, name: str) -> Any:  # execute, scalar, exec_driver_sql...
        async def never_answers(*args: Any, **kwargs: Any) -> Any:
            await _Hung(self.hang).__aenter__()

        return never_answers


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


class _Hung:
    """A connection that never comes; it notes how long, on the event loop's
    clock, it was waited for before the wait was given up (cancelled), or that
    nobody gave up and it failed by itself after `hang` seconds."""

    waited: float | None = None  # seconds until cancelled
    ended = False  # failed by itself

    def __init__(self, hang: float) -> None:
        self.hang = hang

    async def __aenter__(self) -> Any:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            await asyncio.sleep(self.hang)
        except asyncio.CancelledError:
            _Hung.waited = loop.time() - started
            raise
        _Hung.ended = True
        raise ConnectionResetError("the database never answered")

    async def __aexit__(self, *exc: object) -> None:
        return None


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = str(record.getMessage())
        except Exception:
            message = ""  # a message that cannot be formatted
        if record.exc_info and record.exc_info[1] is not None:  # exc_info=True
            message += f" {record.exc_info[1]!r}"
        self.messages.append(message)


ENGINES = {
    "real": None,
    "broken": _BrokenEngine,
    "hanging": _HangingEngine,
    "stuck": _StuckEngine,
}


@observation
def readiness(
    settings: dict[str, Any],
    connections: str = "real",
    hang: float = 0.0,
    limit: float = 60.0,
) -> dict[str, Any]:
    """GET /health/ready, then GET /health, on an app built with `settings`
    whose engine gives `connections` ("real"; "broken": statements fail;
    "hanging": they never come, and fail by themselves after `hang` s; "stuck":
    they come, and a statement never answers, failing by itself after `hang` s,
    as a connection that never comes does). What
    came back (no answer within `limit` s: None), how long readiness took, the
    warnings of the app's logger, and how long a hanging connection was waited
    for before the wait was given up (None), or that it failed by itself."""
    from fastapi.testclient import TestClient

    from app.main import create_app

    app = create_app(app_settings(**settings))
    warnings = _Warnings()
    _Hung.waited, _Hung.ended = None, False
    logging.getLogger("app").addHandler(warnings)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            engine = ENGINES[connections]
            if engine is not None:
                app.state.engine = engine(app.state.engine, hang=hang)
            ready, took = _timed_get(client, READY, limit)
            live = client.get("/health")
    finally:
        logging.getLogger("app").removeHandler(warnings)
    return {
        "ready": _answer(ready),
        "took": took,
        "live": _answer(live),
        "warnings": warnings.messages,
        "waited": _Hung.waited,
        "ended": _Hung.ended,
    }


@contextlib.contextmanager
def _machine(environment: dict[str, str], cpus: int | None) -> Iterator[None]:
    """Only `environment` as APP_* variables, and `cpus` CPUs (None: unknown)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
    with (
        mock.patch.dict(os.environ, {**clean, **environment}, clear=True),
        mock.patch("os.cpu_count", return_value=cpus),
        mock.patch.dict(os.__dict__),  # os.sched_getaffinity, restored after
    ):
        if cpus is None:  # a platform that cannot tell: neither way answers
            os.__dict__.pop("sched_getaffinity", None)
        else:
            os.__dict__["sched_getaffinity"] = lambda pid: set(range(cpus))
        yield


def _gunicorn_conf(environment: dict[str, str], cpus: int | None) -> ModuleType:
    """gunicorn.conf.py imported as Gunicorn does, with only `environment` as
    APP_* variables and `cpus` CPUs."""
    from app.config_check import get_settings

    with _machine(environment, cpus):
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


@observation
def gunicorn_settings(environment: dict[str, str], cpus: int | None) -> dict[str, Any]:
    """`workers` and `worker_class` of gunicorn.conf.py imported with
    `environment` and `cpus` CPUs (None: unknown): each as its value when that
    is plain data (else None), and as its repr."""
    conf = _gunicorn_conf(environment, cpus)
    seen: dict[str, Any] = {}
    for name in ("workers", "worker_class"):
        value = getattr(conf, name)
        seen[name] = value if is_plain(value) else None
        seen[f"{name}_repr"] = repr(value)[:200]
    return seen


@observation
def workers_for(given: int, environment: dict[str, str], cpus: int | None) -> str:
    """The repr of what gunicorn.conf.py's worker_count returns for settings whose
    `workers` is `given`, called with `environment` as APP_* variables and
    `cpus` CPUs."""
    from app.config import Settings

    conf = _gunicorn_conf(environment, cpus)
    with _machine(environment, cpus):
        return repr(conf.worker_count(Settings(_env_file=None, workers=given)))[:200]


@observation
def dockerfile() -> str:
    """The text of the Dockerfile (the first megabyte of a regular file)."""
    path = Path("Dockerfile")
    if not path.is_file():
        raise FileNotFoundError("no Dockerfile (a regular file) in the project")
    with path.open("rb") as file:
        return file.read(DOCKERFILE_BYTES).decode("utf-8", errors="replace")


class _Health(http.server.BaseHTTPRequestHandler):
    """A live service: /health answers 200, anything else 503."""

    def do_GET(self) -> None:
        body = b'{"status": "ok"}'
        self.send_response(200 if self.path == "/health" else 503)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _Sick(_Health):
    """A service that answers, and not well: /health answers 500."""

    def send_response(self, code: int, message: str | None = None) -> None:
        super().send_response(500 if code == 200 else code, message)


def _image_packages(folder: Path) -> Path:
    """A folder of links to what requirements.txt installs in the image, and only
    that: what the image's Python can import besides its standard library."""
    from importlib import metadata

    packages = folder / "site"
    packages.mkdir()
    pins = Path("requirements.txt")  # absent from a grading or mutation copy:
    text = pins.read_text(encoding="utf-8") if pins.is_file() else ""  # stdlib only
    for name in re.findall(r"^([A-Za-z0-9._-]+)==", text, re.MULTILINE):
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for top in {f.parts[0] for f in dist.files or [] if f.parts}:
            if top.endswith(".dist-info") or top in {"..", "__pycache__", "bin"}:
                continue
            link = packages / top
            if not link.exists():
                link.symlink_to(Path(str(dist.locate_file(top))))
    return packages


def _ran(code: int | None, said: str) -> dict[str, Any]:
    """How a command ended: its exit code (None: it did not run, or did not
    end) and the last line it wrote, or why it did not run."""
    lines = said.strip().splitlines()
    return {"exit": code, "said": lines[-1][:160] if lines else ""}


def _run_healthcheck(arguments: str, port: int, folder: Path) -> dict[str, Any]:
    """Run the HEALTHCHECK's command as the image would, against 127.0.0.1:`port`."""
    command = re.sub(r"^(--\S+\s+)*CMD\s+", "", arguments).strip()
    shim = folder / "bin"
    shim.mkdir(exist_ok=True)
    for name in ("python", "python3"):
        path = shim / name
        path.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
        path.chmod(0o755)
    command = command.replace("/opt/venv/bin/python", "python")
    command = re.sub(r"(127\.0\.0\.1|localhost):8000", f"127.0.0.1:{port}", command)
    try:
        argv = [str(part) for part in json.loads(command)]
    except ValueError:
        argv = ["/bin/sh", "-c", command]
    env = {
        "PATH": f"{shim}:/usr/bin:/bin",
        "PYTHONPATH": str(folder / "site"),
        "HOME": str(folder),
        "LANG": "C.UTF-8",
    }
    from workshop.grading import fence

    if fence.installed():  # grading starts no process (and reports a try)
        return _run_in_process(argv, folder)
    try:
        done = subprocess.run(
            argv,
            cwd=folder,
            env=env,
            capture_output=True,
            timeout=RUN_SECONDS,
            check=False,
        )
    except PermissionError:  # refused some other way: Python's part, here
        return _run_in_process(argv, folder)
    except (OSError, subprocess.TimeoutExpired) as error:
        return _ran(None, f"could not run: {type(error).__name__}: {error}")
    said = (done.stderr or done.stdout).decode(errors="replace")
    return _ran(done.returncode, said)


def _run_in_process(argv: list[str], folder: Path) -> dict[str, Any]:
    """Where no process may start (grading), the command's `python -c CODE`
    runs in a thread here, importing only what the image has, and ends as
    Python would end (exit 1 for an exception); a shell's `|| exit 1` after it
    changes nothing, anything else does not run here."""
    words = argv
    if argv[:2] == ["/bin/sh", "-c"]:
        words = shlex.split(argv[2])
        if words[3:] in ([], ["||", "exit", "1"]):
            words = words[:3]
    if len(words) != 3 or words[0] not in {"python", "python3"} or words[1] != "-c":
        return _ran(None, f"could not run here: {' '.join(argv)[:120]}")
    allowed = set(sys.stdlib_module_names) | {
        p.name.removesuffix(".py") for p in (folder / "site").iterdir()
    }
    real_import = __import__

    def image_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] not in allowed:
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    namespace = {"__builtins__": {**vars(builtins), "__import__": image_import}}
    ended: list[dict[str, Any]] = []

    def run() -> None:
        try:
            exec(words[2], namespace)
        except SystemExit as ending:
            code = ending.code
            if code is None or (type(code) is int and code == 0):
                ended.append(_ran(0, ""))
            else:
                ended.append(
                    _ran(code, "") if type(code) is int else _ran(1, str(code))
                )
        except BaseException as error:
            ended.append(_ran(1, f"{type(error).__name__}: {error}"))
        else:
            ended.append(_ran(0, ""))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(RUN_SECONDS)
    if not ended:
        return _ran(None, f"still running after {RUN_SECONDS} s")
    return ended[0]


@observation
def healthcheck(arguments: str) -> dict[str, Any]:
    """The HEALTHCHECK's `arguments` (options, then CMD ...) run as the image
    runs them: against a live /health, against a /health that answers 500, then
    against a port nobody listens on (bound, never listening: it refuses
    connections). Each run's exit code and last line; "network" is False, with
    why, where no local network is."""
    with tempfile.TemporaryDirectory(prefix="check-09-3-") as tmp:
        folder = Path(tmp)
        _image_packages(folder)
        ran: dict[str, Any] = {"network": True}
        for name, handler in (("live", _Health), ("sick", _Sick)):
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            port = server.server_address[1]
            serving = threading.Thread(target=server.serve_forever, daemon=True)
            serving.start()
            try:
                try:  # a sandbox may have no loopback (a grading job has its own)
                    socket.create_connection(("127.0.0.1", port), timeout=30).close()
                except OSError as error:
                    return {"network": False, "why": str(error)}
                ran[name] = _run_healthcheck(arguments, port, folder)
            finally:
                server.shutdown()
                server.server_close()
        with socket.socket() as dead:
            dead.bind(("127.0.0.1", 0))
            ran["down"] = _run_healthcheck(arguments, dead.getsockname()[1], folder)
    return ran
