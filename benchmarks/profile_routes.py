"""Where a cheap route's time goes, under cProfile (run it by hand).

    .venv/bin/python benchmarks/profile_routes.py [--requests 5000] [--top 15]

Profiles, in-process on SQLite (no socket, no client library), `--requests`
calls each of: a bare async FastAPI route, our /health, and our signed-in
/api/v1/users/me, and prints the functions with the most own time for each. For
the item list on PostgreSQL, see items_on_postgres.py --profile.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from auth_overhead import App, bare_app, call, cheap_settings, sign_in  # noqa: E402
from fresh_databases import migrate  # noqa: E402

from app.main import create_app  # noqa: E402


async def profiled(
    app: App, path: str, headers: dict[str, str], n: int
) -> pstats.Stats:
    for _ in range(200):  # warm up
        await call(app, "GET", path, headers)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(n):
        status, _ = await call(app, "GET", path, headers)
    profile.disable()
    assert status == 200, (path, status)
    return pstats.Stats(profile)


def report(name: str, stats: pstats.Stats, n: int, top: int) -> None:
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\n== {name}: {total / n * 1e6:.0f} µs per request under cProfile")
    stats.sort_stats("tottime").print_stats(top)


async def main(url: str, n: int, top: int) -> None:
    bare, ours = bare_app(), create_app(cheap_settings(url))
    async with ours.router.lifespan_context(ours):
        auth = await sign_in(ours)
        for name, app, path, headers in (
            ("bare async", bare, "/async", {}),
            ("/health", ours, "/health", {}),
            ("/api/v1/users/me", ours, "/api/v1/users/me", auth),
        ):
            report(name, await profiled(app, path, headers, n), n, top)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--top", type=int, default=15)
    arguments = parser.parse_args()
    database = Path(tempfile.mkdtemp(prefix="profile-")) / "app.db"
    migrate(f"sqlite+aiosqlite:///{database}")  # runs its own event loop
    asyncio.run(
        main(f"sqlite+aiosqlite:///{database}", arguments.requests, arguments.top)
    )
