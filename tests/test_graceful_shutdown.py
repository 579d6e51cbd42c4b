"""SIGTERM under load: Gunicorn stops taking connections and finishes every
request it had accepted, with its normal answer, then exits 0.

Real Gunicorn, two Uvicorn workers, a real PostgreSQL, and sign-ins that hash
passwords with argon2, slower than in production: several requests are in
flight when the signal arrives.
"""

import asyncio
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg
import httpx2
import pytest
from fresh_databases import migrate
from gunicorn_server import Served, gunicorn
from postgres_server import PostgresServer, require_binaries, temporary_postgres

CLIENTS = 6  # a bounded load: each client waits for its answer before the next
PASSWORD = "correct horse battery staple"


@dataclass
class Attempt:
    started: float
    ended: float = 0.0
    outcome: str = ""  # "200", another status, or the error's name


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with temporary_postgres(require_binaries()) as server:
        migrate(server.url())
        yield server


@pytest.fixture(scope="module")
def served(postgres: PostgresServer) -> Iterator[Served]:
    environment = {
        "APP_DATABASE_URL": postgres.url(),
        "APP_WORKERS": "2",
        # Slower than production (3): each sign-in takes seconds, so the test
        # fails (RemoteProtocolError) with a graceful_timeout of 1 s. At 8, the
        # hashes once ended within 0.8 s of the signal, and it passed.
        "APP_ARGON2_TIME_COST": "32",
        "APP_ENVIRONMENT": "test",
        "APP_LOGIN_ATTEMPTS_PER_WINDOW": "100000",
        # Six clients sign in to one account at once: more than the throttle
        # lets run together by default (it counts each before its hash).
        "APP_LOGIN_FREE_ATTEMPTS": "100000",
    }
    with gunicorn(environment) as served:
        yield served


def sign_in(url: str, email: str) -> httpx2.Response:
    """One sign-in on a connection of its own: a reused connection that the
    server closes between two requests would blur what 'accepted' means."""
    with httpx2.Client(base_url=url, timeout=60) as client:
        return client.post(
            "/api/v1/auth/token", data={"username": email, "password": PASSWORD}
        )


def passwords_checked(dsn: str) -> int:
    """Sign-ins that reached the app: the throttle counts each one per address,
    and commits the count, before its hash; a success does not clear that one."""

    async def read() -> int:
        connection = await asyncpg.connect(dsn)
        try:
            key = "address:127.0.0.1"
            query = "SELECT count FROM attempts WHERE key = $1"
            return await connection.fetchval(query, key) or 0
        finally:
            await connection.close()

    return asyncio.run(read())


def wait_until_every_sign_in_is_in_the_app(dsn: str, sent: int) -> None:
    """One sent the instant before the signal could still be a connection with
    no request on it, which a stopping worker closes unanswered."""
    deadline = time.monotonic() + 60  # a limit for a busy machine, not a measure
    while passwords_checked(dsn) < sent:
        assert time.monotonic() < deadline, "sign-ins sent never reached the app"
        time.sleep(0.05)


def test_sigterm_lets_every_accepted_request_finish(
    postgres: PostgresServer, served: Served
) -> None:
    email = "load@example.com"
    user = {"email": email, "full_name": "Load", "password": PASSWORD}
    created = httpx2.post(f"{served.url}/api/v1/users", json=user, timeout=60)
    assert created.status_code == 201
    attempts: list[Attempt] = []
    stop = threading.Event()
    starting = threading.Lock()  # no attempt begins once stop is set

    def client() -> None:
        while True:
            with starting:
                if stop.is_set():
                    return
                attempt = Attempt(time.monotonic())
                attempts.append(attempt)
            try:
                attempt.outcome = str(sign_in(served.url, email).status_code)
            except httpx2.TransportError as error:
                attempt.outcome = type(error).__name__
            attempt.ended = time.monotonic()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # the load runs; workers are hashing
    with starting:
        stop.set()  # no new request after the signal
    wait_until_every_sign_in_is_in_the_app(postgres.dsn, len(attempts))
    signalled = time.monotonic()
    served.master.send_signal(signal.SIGTERM)
    for thread in threads:
        thread.join(timeout=60)
    exit_code = served.master.wait(timeout=60)

    in_flight = [a for a in attempts if a.started < signalled < a.ended]
    # A connection refused was never accepted: a client that saw the stop only
    # after the listening socket closed.
    failed = [a.outcome for a in attempts if a.outcome not in ("200", "ConnectError")]
    print(
        f"{len(attempts)} sign-ins, {len(in_flight)} in flight at SIGTERM, "
        f"{len(failed)} failed {failed}"
    )
    assert len(in_flight) >= 2, "the test needs requests in flight at the signal"
    assert failed == [], served.output()[-2000:]
    assert exit_code == 0, served.output()[-2000:]
