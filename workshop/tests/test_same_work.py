"""The same-work floor of `make bench` (benchmarks/same_work.py) answers what our
signed-in item list answers, on a real PostgreSQL: the same pages, the same
totals, and 401 where ours refuses the caller. A floor that did less work (no
token check, no session lookup, no total) would flatter it, and our ratio to it
would mean nothing."""

from __future__ import annotations

import asyncio
import random
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from asgi_lifespan import LifespanManager

from app.config import Settings
from app.main import create_app

# The service's test helpers import each other as top-level modules, as the
# benchmarks do.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from fresh_databases import migrate
from postgres_server import require_binaries, temporary_postgres

PASSWORD = "correct horse battery staple"
ADMIN = "root@example.com"


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    with temporary_postgres(require_binaries()) as server:
        url = server.url()
        migrate(url)
        yield url


async def answers(url: str, key: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Every answer of our list and of the floor, for the same requests."""
    from benchmarks import same_work

    settings = Settings(
        _env_file=None,
        environment="test",
        database_url=url,
        secret_key=key,
        first_admin_email=ADMIN,
        first_admin_password=PASSWORD,
    )
    for name, value in {"APP_DATABASE_URL": url, "APP_SECRET_KEY": key}.items():
        monkeypatch.setenv(name, value)
    ours, floor = create_app(settings), same_work.app
    async with LifespanManager(ours), LifespanManager(floor):
        o = httpx2.AsyncClient(
            transport=httpx2.ASGITransport(ours), base_url="http://t"
        )
        f = httpx2.AsyncClient(
            transport=httpx2.ASGITransport(floor), base_url="http://t"
        )
        tokens = {}
        for email in ("ada@example.com", "bob@example.com"):
            user = {"email": email, "full_name": "A B", "password": PASSWORD}
            (await o.post("/api/v1/users", json=user)).raise_for_status()
        for email in ("ada@example.com", "bob@example.com", ADMIN):
            form = {"username": email, "password": PASSWORD}
            pair = (await o.post("/api/v1/auth/token", data=form)).json()
            tokens[email] = pair
        for email, items in (("ada@example.com", 23), ("bob@example.com", 3)):
            headers = {"Authorization": f"Bearer {tokens[email]['access_token']}"}
            for n in random.sample(range(10_000), items):
                item = {"name": f"Tea {n}", "price_cents": n, "sku": f"{email[:3].upper()}-{n:04d}"}  # fmt: skip
                (await o.post("/api/v1/items", json=item, headers=headers)).raise_for_status()  # fmt: skip
        pages = ["", "?limit=1", "?limit=100", "?limit=5&offset=20", "?offset=23",
                 "?offset=2147483647", "?limit=0", "?limit=101", "?offset=-1"]  # fmt: skip
        seen = []
        for email, pair in tokens.items():
            for authorization in (f"Bearer {pair['access_token']}",
                                  f"Bearer {pair['refresh_token']}", "Bearer x.y.z", ""):  # fmt: skip
                headers = {"Authorization": authorization} if authorization else {}
                for page in pages:
                    path = f"/api/v1/items{page}"
                    seen.append(await both(o, f, path, headers, (email, authorization, page)))  # fmt: skip
        # A session that ended: both refuse its access token at once.
        (await o.post("/api/v1/auth/logout", json={"refresh_token": tokens[ADMIN]["refresh_token"]})).raise_for_status()  # fmt: skip
        headers = {"Authorization": f"Bearer {tokens[ADMIN]['access_token']}"}
        seen.append(await both(o, f, "/api/v1/items", headers, ("ended", "", "")))
        await o.aclose()
        await f.aclose()
    return seen


async def both(
    ours: httpx2.AsyncClient,
    floor: httpx2.AsyncClient,
    path: str,
    headers: dict[str, str],
    case: tuple[str, str, str],
) -> tuple:
    mine, theirs = await ours.get(path, headers=headers), await floor.get(path, headers=headers)  # fmt: skip
    body = mine.json() if mine.status_code == 200 else None
    other = theirs.json() if theirs.status_code == 200 else None
    return case, (mine.status_code, body), (theirs.status_code, other)


def test_the_floor_answers_as_our_list_does(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = asyncio.run(answers(database, secrets.token_urlsafe(32), monkeypatch))
    different = [(case, mine, theirs) for case, mine, theirs in seen if mine != theirs]
    assert not different, different[:3]
    statuses = {mine[0] for _, mine, _ in seen}
    assert statuses == {200, 401, 422}, statuses  # every kind of answer was compared
    totals = {mine[1]["total"] for _, mine, _ in seen if mine[0] == 200}
    assert totals == {23, 3, 26}, totals  # Ada's, Bob's, and every item for the admin
    assert seen[-1][1][0] == 401  # the ended session
