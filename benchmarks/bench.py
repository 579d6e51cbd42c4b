"""`make bench`: the service's performance as ratios, measured in one run.

    .venv/bin/python benchmarks/bench.py [--rounds 5] [--seconds 5] [--quick]

Needs PostgreSQL's binaries and wrk (Debian: apt-get install postgresql wrk).
Starts a throwaway PostgreSQL server (as the tests do) and serves, each with
uvicorn, one worker, on 127.0.0.1: a bare FastAPI app whose async route returns
a constant dict (the ceiling), our app on that database, and the same-work floor
(benchmarks/same_work.py: our signed-in list written by hand on Starlette and
asyncpg); and, when app/ has lesson 10's settings, our app in production
settings with the logging, metrics and tracing stack on (at production's
default sampling, and at 100 %) and off, logging as gunicorn.conf.py configures
it; and the service as it ships: Gunicorn with gunicorn.conf.py, one worker,
production settings with the stack on, serving our app and, under the same
server settings, the bare app. wrk loads them in turns, round after round; each
figure is the median of its per-round ratios, so it means the same on a laptop
and on a slow CI machine. Prints the table (Markdown) and writes it, with a
PNG, to var/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import httpx2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import bench_table  # noqa: E402
import wrk_load  # noqa: E402
from bench_table import Row, costs, ratios  # noqa: E402
from items_on_postgres import EMAIL, ITEMS, PASSWORD, create_database, seed  # noqa: E402
from postgres_server import (  # noqa: E402
    find_binaries,
    free_port,
    temporary_postgres,
    why_not_available,
)

from app.config import Settings  # noqa: E402

OUT = ROOT / "var" / "bench"
CONNECTIONS = 16  # wrk's connections for throughput, as items_on_postgres.py
PROBE_CONNECTIONS = 4  # a light load whose latency is read while logins run
LOGINS = 16  # logins in flight, each hashing a password
# Lesson 10's settings; the stack row is measured only when they exist, since
# production refuses an APP_* name that is not a setting.
STACK_ON = {
    "APP_LOG_FORMAT": "json",
    "APP_LOG_LEVEL": "INFO",
    "APP_METRICS_ENABLED": "true",
    "APP_TRACING_EXPORTER": "otlp",  # to otlp_sink(): see there
}
STACK_OFF = {
    "APP_LOG_FORMAT": "json",
    "APP_LOG_LEVEL": "WARNING",
    "APP_METRICS_ENABLED": "false",
    "APP_TRACING_EXPORTER": "none",
}
# Our pools and the floor's, several at a time: more than PostgreSQL's default 100.
POSTGRES = {"max_connections": "300"}
ITEMS_ROW = "Signed-in item list on PostgreSQL vs bare"
FLOOR_ROW = "Signed-in item list vs the same work by hand (Starlette + asyncpg)"
STACK = "Logging + metrics + tracing cost on the signed-in item list (production)"
STACK_ALL = "The same, every request traced (APP_TRACING_SAMPLE_RATIO=1)"
SHIPPED = "under Gunicorn, gunicorn.conf.py, 1 worker, production, stack on"
BUSY = f"p99 of /health while {LOGINS} logins hash passwords, vs idle"


def has_stack() -> bool:
    names = {name.removeprefix("APP_").lower() for name in STACK_ON}
    return names | {"otlp_endpoint"} <= Settings.model_fields.keys()


@contextmanager
def otlp_sink() -> Iterator[str]:
    """A collector that accepts every batch of spans and keeps none, so the
    exporter does all of its production work (batching, protobuf, HTTP) and the
    collector's own cost stays out of the figure. Yields the traces URL."""

    class Sink(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: one line per batch would fill the terminal."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/traces"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve(
    app: str, env: dict[str, str], log_config: Path | None = None
) -> Iterator[str]:
    """uvicorn, one worker, on a free port; yields its base URL once /health or
    /bare answers. Its stdout (the log lines) goes nowhere: writing it to a
    terminal would measure the terminal."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--port", str(port)]
    options = ["--no-access-log", "--log-level", "warning", "--app-dir", str(ROOT)]
    if log_config is not None:  # what gunicorn.conf.py gives Gunicorn
        options += ["--log-config", str(log_config)]
    server = subprocess.Popen(
        [*command, *options],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, base, app)
        yield base
    finally:
        server.terminate()
        server.wait()


def wait_until_serving(server: subprocess.Popen[bytes], base: str, app: str) -> None:
    """Until the server answers any HTTP request (the bare app's /health is a 404)."""
    while server.poll() is None:
        try:
            httpx2.get(f"{base}/health", timeout=1)
            return
        except httpx2.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"{app} did not start (exit {server.returncode})")


@contextmanager
def serve_gunicorn(app: str, env: dict[str, str]) -> Iterator[str]:
    """Gunicorn with gunicorn.conf.py, as the service ships, in a session of its
    own; yields its base URL. Stopped with SIGTERM (a graceful stop, which also
    runs its on_exit hook), then SIGKILL to the whole group: uvicorn workers
    outlive a master that is killed, but not a group kill."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")]
    options = ["--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), app]
    server = subprocess.Popen(
        [*command, *options],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, base, app)
        yield base
    finally:
        stop_group(server)


def stop_group(server: subprocess.Popen[bytes], grace: float = 30) -> None:
    """SIGTERM to the process, then, after `grace` seconds at most, SIGKILL to
    its process group, so that no worker is left serving."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            server.wait(timeout=grace)
    with suppress(ProcessLookupError):  # the group has gone with its master
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def write_log_config(path: Path, stack: dict[str, str]) -> None:
    """The logging a production server has: the app configures none itself, its
    server does (gunicorn.conf.py), so uvicorn is given the same configuration."""
    from app.observability.logging import logging_config

    names = {name.removeprefix("APP_").lower(): value for name, value in stack.items()}
    chosen = Settings(
        _env_file=None, log_format=names["log_format"], log_level=names["log_level"]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(logging_config(chosen)))


def our_env(url: str, key: str) -> dict[str, str]:
    """Our service on PostgreSQL: one pooled connection per request in flight,
    the default argon2 cost, and login budgets that the load cannot exhaust."""
    return {
        "APP_DATABASE_URL": url,
        "APP_ENVIRONMENT": "test",
        "APP_SECRET_KEY": key,
        "APP_ACCESS_TOKEN_MINUTES": "60",
        "APP_DB_POOL_SIZE": str(CONNECTIONS),
        "APP_LOGIN_ATTEMPTS_PER_WINDOW": "1000000",
        # Logins at once for one account are counted before they hash: past the
        # free attempts they would be refused with a 429.
        "APP_LOGIN_FREE_ATTEMPTS": "1000000",
        # Every login in flight waits for its hash, none is refused with a 503.
        "APP_HASH_QUEUE_LIMIT": str(LOGINS),
    }


def production_env(url: str, key: str, stack: dict[str, str]) -> dict[str, str]:
    return {
        **our_env(url, key),
        "APP_ENVIRONMENT": "production",
        **stack,
    }


def shipped_env(
    url: str, key: str, stack: dict[str, str], metrics: Path
) -> dict[str, str]:
    """Production settings under Gunicorn: one worker, and the metrics files in a
    folder of the benchmark's own, deleted with it."""
    return {
        **production_env(url, key, stack),
        "APP_WORKERS": "1",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
    }


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}"


class Bench:
    """The servers, and the measurements taken from them round after round."""

    def __init__(self, seconds: int, urls: dict[str, str], authorization: str):
        self.seconds = seconds
        self.urls = urls
        self.auth = {"Authorization": authorization}
        self.rates: dict[str, list[float]] = defaultdict(list)
        self.p99s: dict[str, list[float]] = defaultdict(list)

    def load(self, name: str, url: str, signed_in: bool = False) -> None:
        result = wrk_load.run(
            url,
            seconds=self.seconds,
            connections=CONNECTIONS,
            headers=self.auth if signed_in else None,
        )
        self.rates[name].append(result.rate)

    def probe(self, name: str) -> None:
        result = wrk_load.run(
            f"{self.urls['ours']}/health",
            seconds=self.seconds,
            connections=PROBE_CONNECTIONS,
        )
        self.p99s[name].append(result.p99_ms)

    def round(self) -> None:
        urls = self.urls
        self.load("bare", f"{urls['bare']}/bare")
        self.load("health", f"{urls['ours']}/health")
        self.load("items", f"{urls['ours']}{ITEMS}", signed_in=True)
        self.load("floor", f"{urls['floor']}{ITEMS}", signed_in=True)
        if "stack on" in urls:
            for name in ("stack on", "stack all", "stack off"):
                self.load(name, f"{urls[name]}{ITEMS}", signed_in=True)
            self.load("shipped bare", f"{urls['shipped bare']}/bare")
            self.load("shipped health", f"{urls['shipped']}/health")
            self.load("shipped items", f"{urls['shipped']}{ITEMS}", signed_in=True)
        self.probe("idle")
        logins = wrk_load.Background(
            f"{urls['ours']}/api/v1/auth/token",
            body=urlencode({"username": EMAIL, "password": PASSWORD}),
            content_type="application/x-www-form-urlencoded",
            seconds=self.seconds + 2,
            connections=LOGINS,
            timeout_s=60,
        )
        time.sleep(1)  # every connection is hashing before the probe starts
        self.probe("busy")
        self.rates["logins"].append(logins.result().rate)
        self.drain()

    def drain(self) -> None:
        """Wait for the logins wrk left in flight: the server hashes them after
        wrk has stopped, and would slow down the next round's first figure."""
        form = {"username": EMAIL, "password": PASSWORD}
        httpx2.post(f"{self.urls['ours']}/api/v1/auth/token", data=form, timeout=120)

    def rows(self) -> list[Row]:
        rate, p99 = self.rates, self.p99s
        health = ratios(rate["health"], rate["bare"])
        items = ratios(rate["items"], rate["bare"])
        floor = ratios(rate["items"], rate["floor"])
        busy = ratios(p99["busy"], p99["idle"])
        return [
            *self.shipped_rows(),
            Row.of_rounds("/health throughput vs bare, uvicorn", health, "x", "report",
                template="0.49 x"),
            Row.of_rounds(ITEMS_ROW, items, "x", "at least", 0.058, "0.023 x"),
            Row.of_rounds(FLOOR_ROW, floor, "x", "at least", 0.5),
            *self.stack_rows(),
            Row.of_rounds(BUSY, busy, "x", "at most", 2, "6.1 x"),
            Row.of_rounds("Login throughput at the default argon2 cost", rate["logins"],
                "/s", "report", template="~9 /s"),
        ]  # fmt: skip

    def shipped_rows(self) -> list[Row]:
        """/health and the list served as the service ships, vs the bare app
        served the same way."""
        rate, note = self.rates, "needs lesson 10"
        if "shipped bare" not in rate:
            return [
                Row(f"/health vs bare, {SHIPPED}", None, "x", "at least", 0.85, note=note),
                Row(f"Item list vs bare, {SHIPPED}", None, "x", "report", note=note),
            ]  # fmt: skip
        health = ratios(rate["shipped health"], rate["shipped bare"])
        items = ratios(rate["shipped items"], rate["shipped bare"])
        return [
            Row.of_rounds(f"/health vs bare, {SHIPPED}", health, "x", "at least", 0.85),
            Row.of_rounds(f"Item list vs bare, {SHIPPED}", items, "x", "report"),
        ]

    def stack_rows(self) -> list[Row]:
        rate = self.rates
        if "stack on" not in rate:
            return [Row(STACK, None, "%", "at most", 10, note="needs lesson 10")]
        return [
            Row.of_rounds(STACK, costs(rate["stack on"], rate["stack off"]), "%",
                "at most", 10),
            Row.of_rounds(STACK_ALL, costs(rate["stack all"], rate["stack off"]), "%",
                "report"),
        ]  # fmt: skip

    def details(self) -> str:
        """The medians behind the ratios, for the README and for doubt."""

        median = statistics.median
        lines = [f"{name:>10}: {median(v):8.0f} requests/s" for name, v in self.rates.items()]  # fmt: skip
        lines += [f"{'p99 ' + name:>10}: {median(v):8.2f} ms" for name, v in self.p99s.items()]  # fmt: skip
        return "\n".join(lines)


def run(rounds: int, seconds: int) -> None:
    binaries = find_binaries()
    for reason in (why_not_available(binaries), wrk_load.why_no_wrk()):
        if reason:
            sys.exit(f"make bench cannot run: {reason}")
    assert binaries is not None
    from fresh_databases import migrate

    key = secrets.token_urlsafe(32)
    with temporary_postgres(binaries, options=POSTGRES) as server, ExitStack() as stack:
        create_database(server.dsn, "bench")
        database = server.url("bench")
        migrate(database)
        urls = {
            "bare": stack.enter_context(serve("benchmarks.items_on_postgres:bare", {})),
            "ours": stack.enter_context(serve("app.main:app", our_env(database, key))),
            "floor": stack.enter_context(
                serve("benchmarks.same_work:app", our_env(database, key))
            ),
        }
        authorization = seed(urls["ours"])
        if has_stack():
            sink = stack.enter_context(otlp_sink())
            stack_on = {**STACK_ON, "APP_OTLP_ENDPOINT": sink}
            stack_all = {**stack_on, "APP_TRACING_SAMPLE_RATIO": "1"}
            variants = {"stack on": stack_on, "stack all": stack_all}
            for name, settings in {**variants, "stack off": STACK_OFF}.items():
                env = production_env(database, key, settings)
                logs = OUT / f"logging-{name.replace(' ', '-')}.json"
                write_log_config(logs, settings)
                urls[name] = stack.enter_context(serve("app.main:app", env, logs))
            metrics = Path(tempfile.mkdtemp(prefix="bench-metrics-"))
            stack.callback(shutil.rmtree, metrics, ignore_errors=True)
            for name, app in (
                ("shipped bare", "benchmarks.items_on_postgres:bare"),
                ("shipped", "app.main:app"),
            ):
                folder = metrics / name.replace(" ", "-")
                env = shipped_env(database, key, stack_on, folder)
                urls[name] = stack.enter_context(serve_gunicorn(app, env))
        bench = Bench(seconds=2, urls=urls, authorization=authorization)
        bench.round()  # warm up: connections, caches, compiled statements
        bench = Bench(seconds=seconds, urls=urls, authorization=authorization)
        for number in range(1, rounds + 1):
            print(f"round {number} of {rounds}...", file=sys.stderr, flush=True)
            bench.round()
    caption = f"Median of {rounds} rounds of {seconds} s; {machine()}"
    report = f"{bench_table.text(bench.rows())}\n\n{caption}\n\n{bench.details()}\n"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench.md").write_text(report)
    image = bench_table.png(bench.rows(), OUT / "bench.png", caption)
    print(report)
    print(f"Written: {(OUT / 'bench.md').relative_to(ROOT)}, {image.relative_to(ROOT)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one round of 2 s: a first look, too short to quote",
    )
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.rounds, arguments.seconds = 1, 2
    run(arguments.rounds, arguments.seconds)
