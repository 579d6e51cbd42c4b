"""Liveness and readiness: /health never touches the database, /health/ready does."""

import os
import signal
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from fresh_databases import migrate
from leaks import NoLeaks
from postgres_server import PostgresServer, require_binaries, temporary_postgres
from problem_details import problem
from route_coverage import Recorder

from app.config import Settings
from app.main import create_app

DOWN = {
    "type": "about:blank",
    "title": "Service Unavailable",
    "status": 503,
    "detail": "The database cannot be reached; try again shortly.",
}


def settings_for(url: str, **values: object) -> Settings:
    return Settings(_env_file=None, environment="test", database_url=url, **values)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers: a database that hangs."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_ready_answers_200_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "version": "0.1.0"}


def test_ready_answers_a_503_problem_when_the_database_refuses() -> None:
    settings = settings_for("postgresql+asyncpg://app@127.0.0.1:1/app")
    # wrapped as conftest's clients are: route coverage sees this 503
    with TestClient(NoLeaks(Recorder(create_app(settings)))) as client:
        response = client.get("/health/ready")
        assert response.status_code == 503
        assert problem(response) == DOWN
        assert response.headers["retry-after"] == "5"
        live = client.get("/health")
    assert live.status_code == 200  # liveness does not depend on the database


def test_ready_gives_up_after_its_timeout(silent_port: int) -> None:
    url = f"postgresql+asyncpg://app@127.0.0.1:{silent_port}/app"
    settings = settings_for(url, readiness_timeout=0.2)
    with TestClient(create_app(settings)) as client:
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert problem(response) == DOWN


def test_ready_follows_postgresql_going_down() -> None:
    binaries = require_binaries()
    with ExitStack() as running:
        with temporary_postgres(binaries) as server:
            migrate(server.url())
            app = create_app(settings_for(server.url()))
            client = running.enter_context(TestClient(app))
            up = client.get("/health/ready")
        down = client.get("/health/ready")  # the server is stopped
    assert up.status_code == 200
    assert down.status_code == 503
    assert problem(down) == DOWN


@contextmanager
def frozen(server: PostgresServer) -> Iterator[None]:
    """Every process of the server stopped (SIGSTOP), then resumed: connections
    stay open and nothing answers on them, as when a machine hangs."""
    master = int((server.folder / "data/postmaster.pid").read_text().split()[0])
    children = Path(f"/proc/{master}/task/{master}/children")
    if not children.exists():
        pytest.skip("this kernel does not list a process's children in /proc")
    processes = [master, *map(int, children.read_text().split())]
    for pid in processes:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in processes:
            os.kill(pid, signal.SIGCONT)


def test_ready_gives_up_on_a_frozen_postgresql() -> None:
    """A connection in the pool, and a server that stops answering on it: the
    probe still ends, with a 503, and so does the next one, which connects anew."""
    with temporary_postgres(require_binaries()) as server:
        migrate(server.url())
        # The default timeout, 2 s: on a busy machine the probes that must
        # answer 200 (each connects anew) need the time a frozen one is given.
        with TestClient(create_app(settings_for(server.url()))) as client:
            assert client.get("/health/ready").status_code == 200  # one is pooled
            with frozen(server):
                answers = [client.get("/health/ready") for _ in range(2)]
            after = client.get("/health/ready")
    assert [answer.status_code for answer in answers] == [503, 503]
    assert problem(answers[0]) == DOWN
    assert after.status_code == 200


def test_ready_is_documented_with_its_503(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/health/ready"]["get"]
    assert "application/problem+json" in operation["responses"]["503"]["content"]
