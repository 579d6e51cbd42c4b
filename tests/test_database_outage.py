"""The database goes away under a running Gunicorn, and comes back.

Real Gunicorn with two Uvicorn workers, on a real PostgreSQL that the tests stop
and start again. Two faults every service meets: a restart (each connection in
the pools is dead when the server is back) and an outage long enough for
workers to be replaced while it lasts (recycling, or a worker killed for any
reason). Every wait is for an event, with a bound that only stops a test that
would otherwise hang: no verdict depends on the machine's speed.
"""

import itertools
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest
from fresh_databases import migrate
from gunicorn_server import Served, gunicorn
from postgres_server import PostgresServer, require_binaries, temporary_postgres

PATIENCE = 300  # seconds: how long a wait may last before the test gives up
OUTAGE = 5  # seconds the database stays down, at least
CLIENTS = 16  # sign-ups at once: each worker needs several connections
ADMIN = {
    "username": "admin@example.com",
    "password": "a long secret for the first account",
}
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    with temporary_postgres(require_binaries()) as server:
        migrate(server.url())
        yield server


def environment(server: PostgresServer, **extra: str) -> dict[str, str]:
    return {
        "APP_DATABASE_URL": server.url(),
        "APP_WORKERS": "2",
        "APP_ENVIRONMENT": "test",
        "APP_FIRST_ADMIN_EMAIL": ADMIN["username"],
        "APP_FIRST_ADMIN_PASSWORD": ADMIN["password"],
        "APP_SIGN_UPS_PER_WINDOW": "100000",
        "APP_ARGON2_TIME_COST": "1",
        "APP_ARGON2_MEMORY_KIB": "1024",
        "APP_ARGON2_PARALLELISM": "1",
        # Sending starts once one worker answers, and a worker takes every
        # connection it can: one may hash for all CLIENTS, and a full hash
        # queue would answer 503 (Overloaded).
        "APP_HASH_QUEUE_LIMIT": str(CLIENTS),
        **extra,
    }


def sign_up(url: str) -> str:
    """A sign-up on a connection of its own: its status, or the error's name."""
    number = next(_numbers)
    user = {
        "email": f"user{number}@example.com",
        "full_name": f"User {number}",
        "password": "correct horse battery staple",
    }
    try:
        return str(
            httpx2.post(f"{url}/api/v1/users", json=user, timeout=60).status_code
        )
    except httpx2.TransportError as error:
        return type(error).__name__


def sign_ups(url: str, count: int) -> list[str]:
    """`count` sign-ups, CLIENTS at a time."""
    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(lambda _: sign_up(url), range(count)))


def sign_in(url: str) -> str:
    try:
        return str(
            httpx2.post(f"{url}/api/v1/auth/token", data=ADMIN, timeout=60).status_code
        )
    except httpx2.TransportError as error:
        return type(error).__name__


def ready(url: str) -> str:
    try:
        return str(httpx2.get(f"{url}/health/ready", timeout=60).status_code)
    except httpx2.TransportError as error:
        return type(error).__name__


def alive(served: Served) -> None:
    assert served.master.poll() is None, (
        f"the master exited {served.master.returncode}:\n{served.output()[-3000:]}"
    )


def workers_booted(served: Served) -> int:
    return served.output().count("Booting worker with pid")


def workers_exited(served: Served) -> int:
    return served.output().count("Worker exiting")


def test_no_request_fails_after_the_database_restarts(server: PostgresServer) -> None:
    """The pools hold connections the restart closed: the pool's checkout
    listener (app/database.py) replaces each one before it is used, instead of
    a request failing with a 500."""
    with gunicorn(environment(server)) as served:
        assert set(sign_ups(served.url, 32)) == {"201"}  # the pools fill up
        server.stop()
        server.start()  # returns once PostgreSQL accepts connections
        after = sign_ups(served.url, 32)
        readiness = [ready(served.url) for _ in range(10)]
        alive(served)
        log = served.output()[-3000:]
    assert after == ["201"] * 32, f"{after}\n{log}"
    assert readiness == ["200"] * 10


def test_an_outage_with_worker_recycling_stops_nothing(server: PostgresServer) -> None:
    """Workers restarted while the database is down must boot all the same (the
    first admin is not their start-up's business), readiness says 503 while it is
    down and 200 once it is back, and every request after that is answered as it
    is when nothing went wrong.

    One loss is recycling's own, outage or not: a worker that exits at
    max_requests closes the connections it has accepted but not read a request
    from yet. Requests go one at a time, so each exit costs at most one."""
    recycling = {"GUNICORN_CMD_ARGS": "--max-requests 10 --max-requests-jitter 2"}
    with gunicorn(environment(server, **recycling)) as served:
        assert sign_up(served.url) == "201"
        server.stop()
        try:
            stopped, booted = time.monotonic(), workers_booted(served)
            during: list[str] = []
            # Until it has been down for OUTAGE seconds and, while down, both
            # workers were replaced: each answer counts towards max_requests.
            while (
                time.monotonic() - stopped < OUTAGE
                or workers_booted(served) - booted < 2
            ):
                alive(served)
                assert time.monotonic() - stopped < PATIENCE, served.output()[-3000:]
                during.append(ready(served.url))
                time.sleep(0.05)
            replaced = workers_booted(served) - booted
        finally:
            server.start()
        restarted = time.monotonic()
        while (status := ready(served.url)) != "200":
            alive(served)
            assert time.monotonic() - restarted < PATIENCE, status
        recovered = time.monotonic() - restarted
        exits = workers_exited(served)
        after = [sign_up(served.url) for _ in range(24)]
        tokens = [sign_in(served.url) for _ in range(3)]
        readiness = [ready(served.url) for _ in range(10)]
        exited = workers_exited(served) - exits
        alive(served)
        log = served.output()[-3000:]
    print(
        f"{len(during)} readiness answers during the outage, {replaced} workers "
        f"booted while it lasted; ready again {recovered:.1f} s after the restart"
    )
    assert answered(during) == {"503"}, during
    assert dropped(during) <= replaced, during
    assert replaced >= 2
    assert answered(after) == {"201"}, f"{after}\n{log}"
    assert answered(tokens) == {"200"}, tokens
    assert answered(readiness) == {"200"}, readiness
    assert dropped(after + tokens + readiness) <= exited, f"{after}\n{log}"


def answered(outcomes: list[str]) -> set[str]:
    return {outcome for outcome in outcomes if outcome.isdigit()}


def dropped(outcomes: list[str]) -> int:
    """Requests whose connection closed before an answer (ReadError and the like)."""
    return sum(not outcome.isdigit() for outcome in outcomes)
