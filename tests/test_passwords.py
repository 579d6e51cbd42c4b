"""Password hashing: argon2id, upgraded on login, the same cost for unknown users,
and never on the event loop. Ordering is asserted, never timing."""

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest
from conftest import PASSWORD, Account
from fastapi import FastAPI
from fastapi.testclient import TestClient
from problem_details import problem
from pwdlib import PasswordHash

from app.config import Settings
from app.main import create_app
from app.repositories.users import DatabaseUserRepository
from app.security.passwords import HASH_NICENESS, PasswordHasher

TOKEN = "/api/v1/auth/token"


class HeldHash(PasswordHash):
    """pwdlib's hasher, holding every call until `release` is set.

    If a held call runs on the event loop, nothing else can be served: it gives up
    after a while (so the test ends) and records that it was `waited_out`.
    """

    def __init__(self, inner: PasswordHash) -> None:
        super().__init__(inner.hashers)
        self.started = threading.Event()
        self.release = threading.Event()
        self.waited_out = False
        self.calls = 0

    def hold(self) -> None:
        self.calls += 1
        self.started.set()
        if not self.release.wait(timeout=10):
            self.waited_out = True
            self.release.set()

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.hold()
        return super().hash(password, salt=salt)

    def verify(self, password: str | bytes, hash: str | bytes) -> bool:
        self.hold()
        return super().verify(password, hash)

    def verify_and_update(
        self, password: str | bytes, hash: str | bytes
    ) -> tuple[bool, str | None]:
        self.hold()
        return super().verify_and_update(password, hash)


async def read_hash(app: FastAPI, email: str) -> str:
    async with app.state.sessionmaker() as session:
        user = await DatabaseUserRepository(session).get_by_email(email)
        assert user is not None
        return user.hashed_password


def stored_hash(client: TestClient, email: str) -> str:
    """Read on the app's own event loop, where its database connections live."""
    assert client.portal is not None
    return client.portal.call(read_hash, client.app, email)


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> int:
    data = {"username": email, "password": password}
    return client.post(TOKEN, data=data).status_code


def test_the_event_loop_answers_while_logins_hash(
    client: TestClient, ada: Account
) -> None:
    held = HeldHash(client.app.state.passwords.context)  # type: ignore[attr-defined]
    client.app.state.passwords.context = held  # type: ignore[attr-defined]
    # Five: the throttle lets no more password checks for one account from one
    # address run at once, since it counts each before its hash.
    with ThreadPoolExecutor(max_workers=5) as pool:
        logins = [pool.submit(log_in, client, "ada@example.com") for _ in range(5)]
        assert held.started.wait(timeout=10)
        health = client.get("/health")  # answered while every hash is held
        in_flight = sum(not login.done() for login in logins)
        held.release.set()
        statuses = [login.result() for login in logins]
    assert health.status_code == 200
    assert not held.waited_out, "a hash ran on the event loop and blocked it"
    assert in_flight == 5
    assert statuses == [200] * 5


def test_logins_waiting_for_their_hash_hold_no_database_connection(
    settings: Settings,
) -> None:
    """A hash takes tens of milliseconds and may queue behind others: a login
    ends its transaction before hashing, or a burst of logins would hold every
    pooled connection (on SQLite, the write lock) and stall everyone else."""
    one_connection = settings.model_copy(
        update={"db_pool_size": 1, "db_max_overflow": 0, "db_pool_timeout": 2}
    )
    with TestClient(create_app(one_connection)) as client:
        ada = {"email": "ada@example.com", "full_name": "Ada", "password": PASSWORD}
        assert client.post("/api/v1/users", json=ada).status_code == 201
        token = client.post(
            TOKEN, data={"username": ada["email"], "password": PASSWORD}
        )
        me = {"Authorization": f"Bearer {token.json()['access_token']}"}
        held = HeldHash(client.app.state.passwords.context)  # type: ignore[attr-defined]
        client.app.state.passwords.context = held  # type: ignore[attr-defined]
        with ThreadPoolExecutor(max_workers=3) as pool:
            logins = [pool.submit(log_in, client, ada["email"]) for _ in range(3)]
            assert held.started.wait(timeout=10)
            answer = client.get("/api/v1/users/me", headers=me)  # needs the database
            held.release.set()
            statuses = [login.result() for login in logins]
    assert answer.status_code == 200
    assert statuses == [200] * 3


async def test_at_most_hash_concurrency_hashes_run_at_once(settings: Settings) -> None:
    passwords = PasswordHasher(settings)
    held = HeldHash(passwords.context)
    passwords.context = held
    async with anyio.create_task_group() as tasks:
        for _ in range(5):
            tasks.start_soon(passwords.hash, PASSWORD)
        await anyio.wait_all_tasks_blocked()
        running = passwords.limiter.borrowed_tokens
        waiting = passwords.limiter.statistics().tasks_waiting
        held.release.set()
    assert (running, waiting) == (settings.hash_concurrency, 5 - running)


def test_hashes_run_at_a_lower_cpu_priority(settings: Settings) -> None:
    """Cheap requests keep their latency while hashes run: the hashing threads
    (and argon2's lane threads, which inherit it) yield the CPU first."""
    if sys.platform != "linux":
        pytest.skip("elsewhere os.nice would apply to the whole process")
    passwords = PasswordHasher(settings)
    ours = os.getpriority(os.PRIO_PROCESS, 0)  # 0: the calling thread, on Linux
    theirs = passwords.threads.submit(os.getpriority, os.PRIO_PROCESS, 0).result()
    assert theirs == min(ours + HASH_NICENESS, 19)


def test_an_unknown_email_costs_a_hash_like_a_wrong_password(
    client: TestClient, ada: Account
) -> None:
    held = HeldHash(client.app.state.passwords.context)  # type: ignore[attr-defined]
    held.release.set()
    client.app.state.passwords.context = held  # type: ignore[attr-defined]
    assert log_in(client, "ada@example.com", "wrong password, long") == 401
    assert log_in(client, "nobody@example.com") == 401
    assert held.calls == 2  # the unknown email was checked against a dummy hash


def test_wrong_password_and_unknown_email_get_the_same_answer(
    client: TestClient, ada: Account
) -> None:
    wrong = client.post(TOKEN, data={"username": "ada@example.com", "password": "x"})
    unknown = client.post(TOKEN, data={"username": "no@example.com", "password": "x"})
    assert (wrong.status_code, problem(wrong)) == (
        unknown.status_code,
        problem(unknown),
    )


def test_a_hash_is_upgraded_at_login_when_the_parameters_change(
    client: TestClient, settings: Settings, ada: Account
) -> None:
    before = stored_hash(client, "ada@example.com")
    assert before.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    stronger = settings.model_copy(update={"argon2_time_cost": 2})
    client.app.state.passwords = PasswordHasher(stronger)  # type: ignore[attr-defined]
    assert log_in(client, "ada@example.com") == 200
    after = stored_hash(client, "ada@example.com")
    assert after.startswith("$argon2id$v=19$m=1024,t=2,p=1$")
    assert log_in(client, "ada@example.com") == 200  # the new hash verifies


def test_the_hashing_threads_end_with_the_app(app: FastAPI) -> None:
    with TestClient(app):
        pass
    with pytest.raises(RuntimeError, match="shutdown"):
        anyio.run(app.state.passwords.hash, "correct horse battery staple")
