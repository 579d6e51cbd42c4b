"""`make run` logs as the service does under Gunicorn once lesson 10 is done:
every line through the app's logging configuration, and no access line of
Uvicorn's, which would carry the query string (a token sent in a URL, say)."""

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from workshop.project import find_root

ROOT = find_root(Path(__file__))
# Only the absence of an answer within this long fails: a loaded machine may take
# a minute to start the reloader and the server it watches.
PATIENCE = 300


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def status_of(url: str) -> int | None:
    """The status of GET url, or None while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def lines_of(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_make_run_logs_json_and_never_a_query_string(tmp_path: Path) -> None:
    if not (ROOT / "app" / "observability" / "logging.py").exists():
        pytest.skip("the service is not at lesson 10 yet")
    token, port = secrets.token_hex(12), free_port()
    environment = {
        **os.environ,
        "APP_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'app.db'}",
    }
    output = tmp_path / "output"
    command = ["make", "-s", "-o", ".venv/.installed", "run", f"PORT={port}"]
    command.append(f"LOG_CONFIG={tmp_path / 'logging.json'}")
    with output.open("w") as sink:
        make = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + PATIENCE
        while status_of(f"{base}/health") != 200:
            assert make.poll() is None, output.read_text()
            assert time.monotonic() < deadline, output.read_text()
            time.sleep(0.5)
        assert status_of(f"{base}/api/v1/items?token={token}") == 401
        # Until the request's access line is written, or a line shows the token.
        while token not in output.read_text() and not [
            line
            for line in lines_of(output.read_text())
            if line.get("route") == "/api/v1/items"
        ]:
            assert time.monotonic() < deadline, output.read_text()
            time.sleep(0.5)
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        try:
            make.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
    text = output.read_text()
    assert token not in text
    (access,) = [
        line for line in lines_of(text) if line.get("route") == "/api/v1/items"
    ]
    assert access["logger"] == "app.access" and access["status"] == 401
    assert "request_id" in access
    served = [line for line in text.splitlines() if "uvicorn" in line.lower()]
    assert served and all(
        line.startswith("{") for line in served if "app.main:app" not in line
    )
