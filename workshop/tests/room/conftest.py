"""A board for each test: its own database, a known code, a few exercises."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from workshop import timeouts
from workshop.room.app import create_app
from workshop.room.settings import BoardSettings
from workshop.tests.conftest import ROOT

CODE = "ROOM42"
# seconds for `workshop board` to answer: a limit, not a measure
START_LIMIT = timeouts.scaled(60.0)
EXERCISES = {"01.1": "Report the version", "01.2": "Add /info", "02.1": "A schema"}


@pytest.fixture
def settings(tmp_path: Path) -> BoardSettings:
    return BoardSettings(code=CODE, database=tmp_path / "board.sqlite3")


@pytest.fixture
def board(settings: BoardSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, exercises=EXERCISES)) as client:
        yield client


def seat(board: TestClient, name: str = "Ada", code: str = CODE) -> str:
    answer = board.post("/api/join", json={"code": code, "name": name})
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def post(board: TestClient, token: str, **fields: Any) -> Any:
    body = {"code": CODE, "exercise": "01.1", "passed": False, "ok": 1, "total": 3}
    body.update(fields)
    return board.post(
        "/api/results", json=body, headers={"Authorization": f"Bearer {token}"}
    )


def grid(board: TestClient) -> dict[str, Any]:
    answer = board.get("/api/grid", headers={"Cookie": f"room_code={CODE}"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    """`workshop board` running in a process of its own."""

    url: str
    code: str
    process: subprocess.Popen[str]
    log: Path

    def printed(self) -> str:
        return self.log.read_text(encoding="utf-8")


@contextmanager
def served_board(
    tmp: Path, *flags: str, code: str = CODE, **settings: str
) -> Iterator[Served]:
    """The board as an instructor starts it, on a free port of 127.0.0.1, with the
    checkout's exercises (`settings` as WORKSHOP_BOARD_* variables); stopped as
    Ctrl-C stops it."""
    port = free_port()
    log = tmp / "board.log"
    command = [sys.executable, "-m", "workshop", "board", "--port", str(port)]
    command += ["--code", code, "--database", str(tmp / "board.sqlite3"), *flags]
    with log.open("w", encoding="utf-8") as output:
        env = os.environ | {
            f"WORKSHOP_BOARD_{k.upper()}": v for k, v in settings.items()
        }
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    served = Served(f"http://127.0.0.1:{port}", code, process, log)
    try:
        deadline = time.monotonic() + START_LIMIT
        while True:
            if process.poll() is not None:
                pytest.fail(f"workshop board exited:\n{served.printed()}")
            try:
                with urllib.request.urlopen(f"{served.url}/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the board did not start:\n{served.printed()}")
                time.sleep(0.1)
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
