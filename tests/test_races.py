"""Requests that race: the database decides, and the loser gets a clean answer.

The app runs on this test's event loop (httpx2's ASGI transport, lifespan entered
by hand), so that two requests are really in flight at once, each with its own
connection to the test's own database, each committing.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, suppress
from typing import Any

import httpx2
import pytest
from conftest import ADMIN_EMAIL, PASSWORD, FakeClock
from fastapi import FastAPI
from fresh_databases import Databases
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.dependencies import get_clock
from app.main import create_app
from app.models import User
from app.repositories.sessions import DatabaseSessionRepository
from app.security.passwords import PasswordHasher

USERS, ITEMS = "/api/v1/users", "/api/v1/items"
TOKEN, REFRESH = "/api/v1/auth/token", "/api/v1/auth/refresh"
GRACE = {"email": "grace@example.com", "full_name": "Grace", "password": PASSWORD}


def meet_at(
    monkeypatch: pytest.MonkeyPatch, owner: type, method: str, *, patience: float
) -> Callable[[], bool]:
    """Make the first call of `owner.method` wait (at most `patience` seconds) for a
    second one before going on. Returns "did the second come while it waited?".

    Two requests that meet just before a write have both done every check that
    comes before it: the database alone decides which write wins.
    """
    calls, second, met = 0, asyncio.Event(), False
    original = getattr(owner, method)

    async def together(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls, met
        calls += 1
        if calls == 1:
            with suppress(TimeoutError):
                await asyncio.wait_for(second.wait(), timeout=patience)
            met = second.is_set()
        elif calls == 2:
            second.set()
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(owner, method, together)
    return lambda: met


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def api(app: FastAPI) -> AsyncIterator[httpx2.AsyncClient]:
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as api:
        yield api


async def sign_in(api: httpx2.AsyncClient, email: str) -> dict[str, Any]:
    password = PASSWORD if email != ADMIN_EMAIL else "a secret for the tests"
    response = await api.post(TOKEN, data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


async def sign_up(api: httpx2.AsyncClient, email: str) -> dict[str, str]:
    user = {"email": email, "full_name": "Someone", "password": PASSWORD}
    assert (await api.post(USERS, json=user)).status_code == 201
    return {"Authorization": f"Bearer {(await sign_in(api, email))['access_token']}"}


async def statuses(*requests: Awaitable[httpx2.Response]) -> list[int]:
    return sorted(response.status_code for response in await asyncio.gather(*requests))


async def test_two_sign_ups_with_one_email_give_one_account(
    api: httpx2.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The service looks the email up, commits, hashes, then inserts.
    met = meet_at(monkeypatch, PasswordHasher, "hash", patience=10)
    assert await statuses(api.post(USERS, json=GRACE), api.post(USERS, json=GRACE)) == [
        201,
        409,
    ]
    assert met()  # both had passed the "is the email free?" check
    admin = await sign_in(api, ADMIN_EMAIL)
    listed = await api.get(
        USERS, headers={"Authorization": f"Bearer {admin['access_token']}"}
    )
    emails = [user["email"] for user in listed.json()["items"]]
    assert emails.count(GRACE["email"]) == 1


async def test_wrong_passwords_sent_at_once_are_each_counted(
    app: FastAPI, api: httpx2.AsyncClient, settings: Settings
) -> None:
    """The throttle counts each attempt before its hash: of wrong passwords sent
    together for one account from one address, the free ones get 401, the rest
    429, as if they had been sent one after another. (The clock stands still: on
    a slow machine the first back-off, one second, could end between two.)"""
    app.dependency_overrides[get_clock] = FakeClock
    await sign_up(api, "ada@example.com")
    guess = {"username": "ada@example.com", "password": "a wrong guess, long"}
    answers = await statuses(*(api.post(TOKEN, data=guess) for _ in range(20)))
    free = settings.login_free_attempts
    assert answers == [401] * free + [429] * (20 - free)


async def test_sign_ups_sent_at_once_stop_at_the_cap(
    api: httpx2.AsyncClient, settings: Settings
) -> None:
    cap = settings.sign_ups_per_window
    users = [{**GRACE, "email": f"user{n}@example.com"} for n in range(cap + 10)]
    answers = await statuses(*(api.post(USERS, json=user) for user in users))
    assert answers == [201] * cap + [429] * 10


async def test_two_items_with_one_sku_give_one_item(api: httpx2.AsyncClient) -> None:
    ada, bob = (
        await sign_up(api, "ada@example.com"),
        await sign_up(api, "bob@example.com"),
    )
    tea = {"name": "Green tea", "price_cents": 650, "sku": "TEA-0001"}
    conflict = await statuses(
        api.post(ITEMS, json=tea, headers=ada), api.post(ITEMS, json=tea, headers=bob)
    )
    assert conflict == [201, 409]
    totals = [(await api.get(ITEMS, headers=who)).json()["total"] for who in (ada, bob)]
    assert sorted(totals) == [0, 1]


async def test_two_refreshes_with_one_token_give_one_pair(
    api: httpx2.AsyncClient, databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    await sign_up(api, "ada@example.com")
    token = {"refresh_token": (await sign_in(api, "ada@example.com"))["refresh_token"]}
    # Both requests read the open session, then try to rotate its token. (On
    # SQLite they cannot meet: the first holds the write lock until it commits.)
    on_postgresql = databases.backend == "postgresql"
    patience = 10 if on_postgresql else 0.2
    met = meet_at(monkeypatch, DatabaseSessionRepository, "rotate", patience=patience)
    first, second = await asyncio.gather(
        api.post(REFRESH, json=token), api.post(REFRESH, json=token)
    )
    assert sorted([first.status_code, second.status_code]) == [200, 401]
    assert met() == on_postgresql
    # One token used twice is a stolen copy: the session is over for both holders.
    winner = first if first.status_code == 200 else second
    again = {"refresh_token": winner.json()["refresh_token"]}
    assert (await api.post(REFRESH, json=again)).status_code == 401


async def test_two_workers_starting_together_create_one_admin(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    met = meet_at(monkeypatch, PasswordHasher, "hash", patience=10)
    workers = [create_app(settings), create_app(settings)]
    async with AsyncExitStack() as running:
        await asyncio.gather(
            *(
                running.enter_async_context(w.router.lifespan_context(w))
                for w in workers
            )
        )
    assert met()
    async with sessionmaker() as session:
        query = select(func.count()).where(User.email == ADMIN_EMAIL)
        assert await session.scalar(query) == 1
