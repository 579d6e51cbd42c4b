"""A signed-in page of items on PostgreSQL against a bare FastAPI route (run by hand).

    .venv/bin/python benchmarks/items_on_postgres.py [--rounds 5] [--seconds 5]
    .venv/bin/python benchmarks/items_on_postgres.py --profile 2000

Starts a throwaway PostgreSQL server (as the tests do), migrates it, and serves
two apps with uvicorn, one worker each, on 127.0.0.1:
  items  our GET /api/v1/items?limit=20, signed in, over 50 stored items (JWT
         checked, session and user read, a page and a count, JSON out), with a
         pool of 16 connections, one per request wrk keeps in flight;
  bare   a bare FastAPI app whose async route returns a constant dict.
wrk (16 connections) loads them in turns, round after round, so a busy moment
hits both alike; the median round counts. It prints requests/s and p99 latency
of each, and the ratio. For comparison, FastAPI's full-stack template measured
0.023 x bare on this kind of machine.

--profile N instead runs N requests of the items route inside this process (no
HTTP server, no wrk) under cProfile, and prints where the time goes.

Needs PostgreSQL's binaries (Debian: apt-get install postgresql) and wrk.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx2
import uvloop
from fastapi import FastAPI

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from auth_overhead import call  # noqa: E402
from fresh_databases import migrate  # noqa: E402
from postgres_server import (  # noqa: E402
    find_binaries,
    free_port,
    temporary_postgres,
    why_not_available,
)

EMAIL, PASSWORD = "ada@example.com", "correct horse battery staple"
ITEMS = "/api/v1/items?limit=20"
CONNECTIONS = 16
JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.get("/bare")
    async def bare() -> dict[str, str]:
        return {"status": "ok"}

    return app


bare = bare_app()  # what `uvicorn items_on_postgres:bare` serves


def create_database(dsn: str, name: str) -> None:
    async def create() -> None:
        connection = await asyncpg.connect(dsn)
        try:
            await connection.execute(f"CREATE DATABASE {name}")
        finally:
            await connection.close()

    asyncio.run(create())


@contextmanager
def serve(app: str, env: dict[str, str]) -> Iterator[str]:
    """uvicorn with one worker on a free port; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--port", str(port)]
    options = ["--no-access-log", "--log-level", "warning", "--app-dir", str(ROOT)]
    server = subprocess.Popen([*command, *options], env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx2.get(f"{base}/docs", timeout=1)
                break
            except httpx2.TransportError:
                time.sleep(0.05)
        yield base
    finally:
        server.terminate()
        server.wait()


def seed(base: str) -> str:
    """Ada, signed in, with 50 items; returns her Authorization header."""
    with httpx2.Client(base_url=base) as client:
        user = {"email": EMAIL, "full_name": "Ada", "password": PASSWORD}
        client.post("/api/v1/users", json=user).raise_for_status()
        form = {"username": EMAIL, "password": PASSWORD}
        token = client.post("/api/v1/auth/token", data=form).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        for n in range(50):
            item = {"name": f"Tea {n}", "price_cents": 650, "sku": f"TEA-{n:04d}"}
            client.post("/api/v1/items", json=item, headers=headers).raise_for_status()
        page = client.get(ITEMS, headers=headers).json()
        assert (len(page["items"]), page["total"]) == (20, 50), page
        return headers["Authorization"]


def wrk(url: str, seconds: int, authorization: str | None) -> tuple[float, float]:
    """(requests/s, p99 in ms) for `seconds` of load."""
    header = ["-H", f"Authorization: {authorization}"] if authorization else []
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    output = subprocess.run(
        [*command, *header, url], check=True, capture_output=True, text=True
    ).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"{url} answered errors:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])  # type: ignore[index]
    p99, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
    return rate, float(p99) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def app_env(url: str) -> dict[str, str]:
    """Our service's settings. The pool holds as many connections as wrk keeps
    requests in flight: with fewer, every request beyond the pool's size opens a
    connection (overflow) and closes it after, which costs more than the query
    (run with APP_DB_POOL_SIZE=5 set to see it)."""
    return {
        "APP_DATABASE_URL": url,
        "APP_ENVIRONMENT": "test",
        "APP_ACCESS_TOKEN_MINUTES": "60",
        "APP_DB_POOL_SIZE": os.environ.get("APP_DB_POOL_SIZE", str(CONNECTIONS)),
    }


def load(rounds: int, seconds: int) -> None:
    binaries = find_binaries()
    if reason := why_not_available(binaries):
        sys.exit(reason)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: on Debian, apt-get install wrk")
    assert binaries is not None
    with temporary_postgres(binaries, options={}) as server:
        create_database(server.dsn, "bench")
        migrate(server.url("bench"))
        with (
            serve("app.main:app", app_env(server.url("bench"))) as ours,
            serve("benchmarks.items_on_postgres:bare", {}) as theirs,
        ):
            authorization = seed(ours)
            targets = {
                "items": (f"{ours}{ITEMS}", authorization),
                "bare": (f"{theirs}/bare", None),
            }
            for url, auth in targets.values():  # warm up
                wrk(url, 2, auth)
            results: dict[str, list[tuple[float, float]]] = defaultdict(list)
            for _ in range(rounds):
                for name, (url, auth) in targets.items():
                    results[name].append(wrk(url, seconds, auth))
    rate = {
        name: statistics.median(r for r, _ in runs) for name, runs in results.items()
    }
    p99 = {
        name: statistics.median(p for _, p in runs) for name, runs in results.items()
    }
    for name in results:
        print(f"{name:6} {rate[name]:8.0f} requests/s   p99 {p99[name]:6.1f} ms")
    print(
        f"items / bare = {rate['items'] / rate['bare']:.3f}  (median of {rounds} rounds)"
    )


async def profiled_requests(url: str, requests: int) -> cProfile.Profile:
    """Seed through the app, then profile `requests` page requests, each sent
    straight into the ASGI app (no socket, no client library), on uvloop."""
    os.environ.update(app_env(url))
    from app.config import Settings
    from app.main import create_app

    app = create_app(Settings(_env_file=None))
    async with app.router.lifespan_context(app):
        user = json.dumps({"email": EMAIL, "full_name": "Ada", "password": PASSWORD})
        await call(app, "POST", "/api/v1/users", JSON, user.encode())
        form = f"username={EMAIL}&password={PASSWORD.replace(' ', '+')}".encode()
        _, answer = await call(app, "POST", "/api/v1/auth/token", FORM, form)
        headers = {
            **JSON,
            "authorization": f"Bearer {json.loads(answer)['access_token']}",
        }
        for n in range(50):
            item = {"name": f"Tea {n}", "price_cents": 650, "sku": f"TEA-{n:04d}"}
            await call(app, "POST", "/api/v1/items", headers, json.dumps(item).encode())
        for _ in range(200):  # warm up: compiled statements, caches, the pool
            await call(app, "GET", "/api/v1/items", headers)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(requests):
            status, _ = await call(app, "GET", "/api/v1/items", headers)
        profile.disable()
        assert status == 200
    return profile


AREAS = [
    ("asyncpg (driver)", "asyncpg"),
    ("SQLAlchemy", "sqlalchemy"),
    ("greenlet (SQLAlchemy's async bridge)", "greenlet"),
    ("JWT (pyjwt)", "/jwt/"),
    ("pydantic", "pydantic"),
    ("FastAPI", "fastapi"),
    ("Starlette", "starlette"),
    ("our app/", str(ROOT / "app")),
    ("event loop", "uvloop"),
    ("event loop", "asyncio"),
]


def summarize(profile: cProfile.Profile, requests: int) -> None:
    """Own time per area (where each function lives), per request."""
    stats = pstats.Stats(profile)
    own: dict[str, float] = defaultdict(float)
    for (filename, _, name), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{filename}:{name}"
        area = next((area for area, part in AREAS if part in where), "other")
        own[area] += tottime
    total = sum(own.values())
    print(f"{total / requests * 1e6:.0f} µs per request under cProfile, by area.")
    print("(cProfile cannot see C code: time in uvloop and in asyncpg's protocol")
    print("lands in the Python frame that resumed, mostly Starlette's router.)")
    for area, seconds in sorted(own.items(), key=lambda kv: -kv[1]):
        print(f"  {area:38} {seconds / requests * 1e6:6.0f} µs  {seconds / total:4.0%}")
    print("\nTop functions by own time:")
    stats.sort_stats("tottime").print_stats(15)


def profile_requests(requests: int) -> None:
    binaries = find_binaries()
    if reason := why_not_available(binaries):
        sys.exit(reason)
    assert binaries is not None
    with temporary_postgres(binaries, options={}) as server:
        create_database(server.dsn, "bench")
        migrate(server.url("bench"))
        profile = uvloop.run(profiled_requests(server.url("bench"), requests))
    summarize(profile, requests)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--profile", type=int, metavar="N", help="profile N requests")
    args = parser.parse_args()
    if args.profile:
        profile_requests(args.profile)
    else:
        load(args.rounds, args.seconds)
