"""A full hashing queue: the next login is refused at once (503, Retry-After),
and logins work again once the queue drains. The only hashing thread is held
by a gate, so what is queued is decided by the test, not by the machine's speed."""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.config import Settings

TOKEN = "/api/v1/auth/token"
LOGIN = {"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """One hashing thread, and room for two logins waiting for it."""
    return settings.model_copy(update={"hash_concurrency": 1, "hash_queue_limit": 2})


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll until `condition` holds; the limit only ends a test that is stuck."""
    deadline = time.monotonic() + 120
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.01)


def test_a_full_queue_answers_503_until_it_drains(
    app: FastAPI, client: TestClient
) -> None:
    passwords = app.state.passwords
    gate = threading.Event()
    assert client.portal is not None
    held = client.portal.start_task_soon(passwords.run, lambda: gate.wait(120))
    try:
        with ThreadPoolExecutor(2) as pool:
            queued = [pool.submit(client.post, TOKEN, data=LOGIN) for _ in range(2)]
            wait_for(lambda: passwords.pending == 3, "two logins queued")
            refused = client.post(TOKEN, data=LOGIN)
            assert not any(login.done() for login in queued)  # still waiting
            gate.set()
            answers = [login.result() for login in queued]
    finally:
        gate.set()
    assert held.result() is True
    assert refused.status_code == 503, refused.text
    assert refused.headers["Retry-After"] == "1"
    assert "try again" in refused.json()["detail"]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert passwords.pending == 0
    assert client.post(TOKEN, data=LOGIN).status_code == 200
