"""Shared fixtures: a fresh app, with known settings, and accounts to sign in with."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.config import Settings
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


@pytest.fixture
def settings() -> Settings:
    """Test settings: cheap argon2 parameters keep each hash under a millisecond."""
    return Settings(
        _env_file=None,
        environment="test",
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        argon2_parallelism=1,
        first_admin_email=ADMIN_EMAIL,
        first_admin_password=ADMIN_PASSWORD,
    )


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


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


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
