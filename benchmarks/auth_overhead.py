"""What our stack and authentication cost per request, as ratios (run it by hand).

    .venv/bin/python benchmarks/auth_overhead.py [--requests 6000]

Requests go straight into the ASGI app (no client library, no socket), so the
figures are the app's own cost. In one run it times:
  bare-sync   a bare FastAPI app, one sync route returning a constant dict,
  bare-async  the same route, async,
  health      our /health (async, like bare-async),
  me          our /api/v1/users/me (async: JWT verified, session and user looked up
              in a fresh, migrated SQLite database).
The four take turns in rounds and the median round counts, so a busy moment hits
all alike; the ratios mean the same on a fast laptop and a slow CI machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from app.config import Settings
from app.main import create_app

EMAIL, PASSWORD = "ada@example.com", "correct horse battery staple"
ROUNDS = 15
App = Callable[..., Any]


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.get("/sync")
    def sync_route() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/async")
    async def async_route() -> dict[str, str]:
        return {"status": "ok"}

    return app


async def call(
    app: App, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, bytes]:
    """One HTTP request through the ASGI interface: (status, body)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "server": ("bench", 80),
        "client": ("127.0.0.1", 50000),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent)


async def seconds(app: App, path: str, headers: dict[str, str], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        status, _ = await call(app, "GET", path, headers)
        assert status == 200, (path, status)
    return time.perf_counter() - start


async def sign_in(app: App) -> dict[str, str]:
    as_json = {"content-type": "application/json"}
    user = f'{{"email": "{EMAIL}", "password": "{PASSWORD}", "full_name": "Ada"}}'
    assert (await call(app, "POST", "/api/v1/users", as_json, user.encode()))[0] == 201
    form = {"content-type": "application/x-www-form-urlencoded"}
    body = f"username={EMAIL}&password={PASSWORD.replace(' ', '+')}".encode()
    status, answer = await call(app, "POST", "/api/v1/auth/token", form, body)
    assert status == 200, answer
    token = json.loads(answer)["access_token"]
    return {"authorization": f"Bearer {token}"}


def cheap_settings(url: str) -> Settings:
    """Our app on `url`, with argon2 at its cheapest: signing in is set-up here."""
    return Settings(
        _env_file=None,
        environment="test",
        database_url=url,  # type: ignore[arg-type]
        argon2_memory_kib=1024,
        argon2_time_cost=1,
    )


async def main(url: str, requests: int) -> None:
    bare, ours = bare_app(), create_app(cheap_settings(url))
    async with ours.router.lifespan_context(ours):
        auth = await sign_in(ours)
        targets = {
            "bare-sync": (bare, "/sync", {}),
            "bare-async": (bare, "/async", {}),
            "health": (ours, "/health", {}),
            "me": (ours, "/api/v1/users/me", auth),
        }
        for target in targets.values():  # warm up
            await seconds(*target, 100)
        per_round = requests // ROUNDS
        spent: dict[str, list[float]] = {name: [] for name in targets}
        for _ in range(ROUNDS):
            for name, target in targets.items():
                spent[name].append(await seconds(*target, per_round))
    rate = {name: per_round / statistics.median(times) for name, times in spent.items()}
    baseline = {"health": "bare-async", "me": "bare-async"}
    for name, per_second in rate.items():
        base = baseline.get(name, name)
        print(
            f"{name:10} {per_second:8.0f} requests/s   "
            f"{rate[base] / per_second:4.2f}x the cost of {base}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=6000)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from fresh_databases import migrate

    database = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    migrate(database)  # before the event loop: Alembic runs its own
    asyncio.run(main(database, parser.parse_args().requests))
