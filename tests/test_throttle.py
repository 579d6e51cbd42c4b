"""The throttle: guessing slows down, and nobody can lock anyone else out.

The clock is replaced (see conftest.py), so waiting is a line of code, not a sleep.
"""

from typing import Any

import pytest
from conftest import PASSWORD, Account, FakeClock
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from httpx2 import Response

from app.config import Settings
from app.dependencies import get_client_address

TOKEN, USERS, ME = "/api/v1/auth/token", "/api/v1/users", "/api/v1/users/me"
ADDRESS = "X-Test-Address"


class Elsewhere:
    """The test client, its requests coming from another address."""

    def __init__(self, client: TestClient, address: str) -> None:
        self.client, self.address = client, address

    def post(self, url: str, **kwargs: Any) -> Response:
        headers = {**kwargs.pop("headers", {}), ADDRESS: self.address}
        return self.client.post(url, headers=headers, **kwargs)


def address_from_header(request: Request) -> str:
    return request.headers.get(ADDRESS) or "testclient"


def log_in(client: TestClient | Elsewhere, email: str, password: str) -> Response:
    return client.post(TOKEN, data={"username": email, "password": password})


def assert_throttled(response: Response, retry_after: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["Retry-After"] == str(retry_after)


def fail(
    client: TestClient | Elsewhere, times: int, email: str = "ada@example.com"
) -> None:
    for _ in range(times):
        assert log_in(client, email, "a wrong guess, long").status_code == 401


def test_failures_back_off_doubling_then_the_right_password_works(
    client: TestClient, clock: FakeClock, ada: Account
) -> None:
    fail(client, 5)  # the free attempts
    assert_throttled(log_in(client, "ada@example.com", PASSWORD), 1)
    clock.advance(1)
    fail(client, 1)
    assert_throttled(log_in(client, "ada@example.com", PASSWORD), 2)
    clock.advance(2)
    assert log_in(client, "ada@example.com", PASSWORD).status_code == 200
    fail(client, 5)  # a success starts the count again
    assert_throttled(log_in(client, "ada@example.com", PASSWORD), 1)


def test_unknown_emails_are_throttled_like_known_ones(
    client: TestClient, ada: Account
) -> None:
    fail(client, 5, "nobody@example.com")
    assert_throttled(log_in(client, "nobody@example.com", "x"), 1)


def test_guessing_the_current_password_is_throttled_too(
    client: TestClient, ada: Account, settings: Settings
) -> None:
    """A thief holding Ada's access token guesses her password to take her email."""
    change = {"email": "thief@example.com"}
    for n in range(settings.login_free_attempts):
        guess = {**change, "current_password": f"guess number {n}, long"}
        assert client.patch(ME, json=guess, headers=ada.headers).status_code == 403
    right = {**change, "current_password": PASSWORD}
    assert_throttled(client.patch(ME, json=right, headers=ada.headers), 1)
    assert client.get(ME, headers=ada.headers).json()["email"] == "ada@example.com"


@pytest.fixture
def elsewhere(app: FastAPI, client: TestClient) -> Elsewhere:
    """The same app and the same client (one event loop, one lifespan), reached
    from another address: the address dependency reads it from a test header."""
    app.dependency_overrides[get_client_address] = address_from_header
    return Elsewhere(client, "203.0.113.7")


def test_failing_from_elsewhere_does_not_lock_the_owner_out(
    client: TestClient, elsewhere: Elsewhere, ada: Account
) -> None:
    fail(elsewhere, 5)
    assert_throttled(log_in(elsewhere, "ada@example.com", PASSWORD), 1)
    assert log_in(client, "ada@example.com", PASSWORD).status_code == 200


class TestCapsPerAddress:
    """Small caps, so that a test reaches them in a few requests."""

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(
            update={"login_attempts_per_window": 8, "sign_ups_per_window": 4}
        )

    def test_sign_ins_are_capped_whatever_the_emails(
        self, client: TestClient, clock: FakeClock, ada: Account
    ) -> None:
        for n in range(7):  # the sign-in of `ada` was the first
            assert log_in(client, f"user{n}@example.com", "x").status_code == 401
        assert_throttled(log_in(client, "ada@example.com", PASSWORD), 15 * 60)
        clock.advance(15 * 60)
        assert log_in(client, "ada@example.com", PASSWORD).status_code == 200

    def test_sign_ups_are_capped(
        self, client: TestClient, elsewhere: Elsewhere
    ) -> None:
        def sign_up(on: TestClient | Elsewhere, n: int) -> Response:
            user = {
                "email": f"u{n}@example.com",
                "full_name": "U",
                "password": PASSWORD,
            }
            return on.post(USERS, json=user)

        assert [sign_up(client, n).status_code for n in range(4)] == [201] * 4
        assert_throttled(sign_up(client, 4), 15 * 60)
        assert sign_up(elsewhere, 5).status_code == 201
