"""Real Gunicorn for the tests: the image's start command, run on 127.0.0.1."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx2
from deployment_files import ROOT, exec_form, stages
from postgres_server import free_port

BIN = Path(sys.executable).parent


def start_command() -> list[str]:
    """The CMD of the Dockerfile's last stage."""
    final = stages((ROOT / "Dockerfile").read_text())[-1]
    return exec_form(next(args for word, args in reversed(final) if word == "CMD"))


def on_loopback(command: list[str], port: int, bin: Path = BIN) -> list[str]:
    """`command`, from the environment `bin` belongs to, bound to 127.0.0.1:port
    instead of the container's 0.0.0.0."""
    at = command.index("--bind") + 1
    return [
        str(bin / command[0]),
        *command[1:at],
        f"127.0.0.1:{port}",
        *command[at + 1 :],
    ]


@dataclass
class Served:
    master: subprocess.Popen[str]
    url: str
    log: IO[str]

    def output(self) -> str:
        """What Gunicorn and its workers wrote so far."""
        self.log.seek(0)
        return self.log.read()


@contextmanager
def gunicorn(
    environment: Mapping[str, str],
    *,
    user: str | None = None,
    bin: Path = BIN,
    timeout: float = 180,  # a limit for a busy machine, never a measure
) -> Iterator[Served]:
    """Start the image's command with `environment` (APP_* variables), wait until
    /health answers, and stop it at the end if the test left it running.

    The master leads a session of its own: at the end its whole process group
    is killed, so no worker outlives the test (a worker whose master died is
    re-parented and keeps serving)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
    env.update(environment, PYTHONDONTWRITEBYTECODE="1")
    with tempfile.TemporaryFile("w+") as log:  # a pipe could fill up and block it
        master = subprocess.Popen(
            on_loopback(start_command(), port, bin),
            cwd=ROOT,
            env=env,
            user=user,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        served = Served(master, f"http://127.0.0.1:{port}", log)
        try:
            wait_until_up(served, timeout)
            yield served
        finally:
            stop(master)


def stop(master: subprocess.Popen[str], grace: float = 60) -> None:
    """SIGTERM (Gunicorn's graceful stop: on_exit removes its metrics folder),
    then SIGKILL for whatever is left of the group, workers included."""
    if master.poll() is None:
        master.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            master.wait(timeout=grace)
    with suppress(ProcessLookupError):  # no such group: every process exited
        os.killpg(master.pid, signal.SIGKILL)
    master.wait()


def wait_until_up(served: Served, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if served.master.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited {served.master.returncode}:\n{served.output()}"
            )
        try:
            if httpx2.get(f"{served.url}/health", timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer in time:\n{served.output()}")
        time.sleep(0.1)
