"""Shared fixtures: a fresh app on a fresh database, with known settings, a clock
the tests move by hand, two clients (sync and async) and accounts to sign in with.

Every test that uses the database runs twice: on SQLite and on a real PostgreSQL
server, which the suite starts itself (its half is skipped, with the reason, when
PostgreSQL is not installed). Both clients note what each answer was
(route_coverage.Recorder): tests/test_route_coverage.py, which runs last, fails
when a route documents a status that no test produced (a test that sweeps every
route counts only for the statuses it asserts: `counted`). And both fail the test
whose answer holds a traceback or a password its request sent (leaks.NoLeaks).
"""

import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx2
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from fastapi.testclient import TestClient
from fresh_databases import Databases, PostgresDatabases, SQLiteDatabases
from leaks import NoLeaks
from postgres_server import (
    find_binaries,
    scratch_folder,
    temporary_postgres,
    why_not_available,
)
from route_coverage import Recorder
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.database import create_engine, create_sessionmaker
from app.dependencies import get_clock
from app.main import create_app

PASSWORD = "correct horse battery staple"
ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.com", "a secret for the tests"


@dataclass(frozen=True)
class Account:
    """A signed-in user, as a client holds it: the two tokens."""

    id: int
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


SignIn = Callable[..., Account]
SignUp = Callable[[str], Account]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def databases(request: pytest.FixtureRequest) -> Iterator[Databases]:
    """Where this half of the run keeps its databases; test ids name the backend."""
    if request.param == "sqlite":
        folder = scratch_folder("sqlite-")
        try:
            yield SQLiteDatabases(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    binaries = find_binaries()
    if reason := why_not_available(binaries):
        pytest.skip(f"no PostgreSQL half: {reason}")
    assert binaries is not None
    with (
        temporary_postgres(binaries) as server,
        PostgresDatabases(server).started() as databases,
    ):
        yield databases


@pytest.fixture
def database_url(databases: Databases) -> Iterator[str]:
    """A new database at the newest migration, for this test alone."""
    with databases.database() as url:
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Test settings: cheap argon2 parameters keep each hash under a millisecond."""
    return Settings(
        _env_file=None,
        environment="test",
        database_url=database_url,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        argon2_parallelism=1,
        first_admin_email=ADMIN_EMAIL,
        first_admin_password=ADMIN_PASSWORD,
    )


@pytest.fixture
async def sessionmaker(
    settings: Settings,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Database sessions for async tests, on the test's own event loop.

    Not for use with `client`: TestClient runs the app on another event loop, in
    another thread, and a connection belongs to the loop that opened it.
    """
    engine = create_engine(settings)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
async def session(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as session:
        yield session


class FakeClock:
    """A clock that moves only when a test says so: no sleeping, no flakiness."""

    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(settings: Settings, clock: FakeClock) -> Iterator[FastAPI]:
    """The app under test, its clock replaced through dependency_overrides."""
    app = create_app(settings)
    app.dependency_overrides[get_clock] = lambda: clock
    yield app
    app.dependency_overrides.clear()


# The sweeps: tests that call every route of a kind, read from the OpenAPI
# document, and the statuses each asserts on every route. Only those count for
# route coverage: a success a sweep produced but never read tests no route.
SWEEPS: dict[str, set[int]] = {
    "test_no_response_carries_a_secret": set(),  # only that no secret leaks
    "test_a_signed_in_route_refuses_a_missing_token": {401},
    "test_an_id_nobody_has_is_404_and_one_no_row_can_have_is_422": {404, 422},
    "test_a_body_of_the_wrong_shape_is_422_and_an_unreadable_one_400": {400, 422},
}


@pytest.fixture
def counted(request: pytest.FixtureRequest) -> set[int] | None:
    """The statuses this test's answers count for: all (None), but in a sweep."""
    return SWEEPS.get(request.node.originalname)


@pytest.fixture
def client(app: FastAPI, counted: set[int] | None) -> Iterator[TestClient]:
    """The sync client: the app runs in a thread of its own, lifespan included."""
    with TestClient(NoLeaks(Recorder(app, counted=counted))) as client:
        yield client


@pytest.fixture
async def api(
    app: FastAPI, counted: set[int] | None
) -> AsyncIterator[httpx2.AsyncClient]:
    """The async client: the app runs on the test's own event loop, so requests
    can really be in flight together. httpx2's ASGI transport does not run the
    lifespan; LifespanManager does, around it."""
    async with LifespanManager(app) as manager:
        recorder = Recorder(manager.app, counted=counted)
        transport = httpx2.ASGITransport(app=NoLeaks(recorder))
        async with httpx2.AsyncClient(
            transport=transport, base_url="http://test"
        ) as api:
            yield api


@pytest.fixture
def sign_in(client: TestClient) -> SignIn:
    def sign_in(email: str, password: str = PASSWORD) -> Account:
        response = client.post(
            "/api/v1/auth/token", data={"username": email, "password": password}
        )
        assert response.status_code == 200, response.text
        tokens = response.json()
        me = client.get(
            "/api/v1/users/me",
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
        return Account(me.json()["id"], tokens["access_token"], tokens["refresh_token"])

    return sign_in


@pytest.fixture
def sign_up(client: TestClient, sign_in: SignIn) -> SignUp:
    def sign_up(email: str) -> Account:
        user = {"email": email, "full_name": email.split("@")[0], "password": PASSWORD}
        assert client.post("/api/v1/users", json=user).status_code == 201
        return sign_in(email)

    return sign_up


@pytest.fixture
def admin(sign_in: SignIn) -> Account:
    return sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)


@pytest.fixture
def ada(sign_up: SignUp) -> Account:
    return sign_up("ada@example.com")


@pytest.fixture
def bob(sign_up: SignUp) -> Account:
    return sign_up("bob@example.com")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The route-coverage test runs after every other test: it reads what they did."""
    items.sort(key=lambda item: item.path.name == "test_route_coverage.py")


def pytest_deselected(items: list[pytest.Item]) -> None:
    DESELECTED.extend(items)


DESELECTED: list[pytest.Item] = []
