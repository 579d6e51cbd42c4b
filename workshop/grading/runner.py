"""The grader's side of the zygote: start it, give it jobs, read what comes back.

One `Runner` per `workshop grade`. It starts the zygote (inside bubblewrap or
under the fence, see workshop.grading.isolation) from the main thread, sends it
the lessons' templates, then any number of jobs at once from grading threads.
For each job it makes the pipes and the output log, and reads the records and
the ending back within the job's timeout (plus a margin, should the keeper
itself be stuck).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from workshop import child
from workshop.grading import launch
from workshop.grading.isolation import Isolation
from workshop.grading.protocol import Ending, Job, Record, send

RESULTS_LIMIT = 8 * 2**20  # more than this on a result pipe is not the checks
MARGIN = 15.0  # seconds past a job's timeout before the grader stops waiting


@dataclass(frozen=True)
class Verdict:
    """All that came back from one job."""

    records: list[Record]
    forged: int  # lines on the result pipe without the job's nonce
    ending: Ending
    output_bytes: int
    last_line: str


class Runner:
    def __init__(self, root: Path, scratch: Path, found: Isolation) -> None:
        self.isolation, self.scratch = found, scratch
        self._sock, theirs = socket.socketpair()
        mode = "namespaces" if found.kernel else "fence"
        argv = [sys.executable, "-I", "-m", "workshop.grading.zygote"]
        self._process = launch.start(
            found.bwrap, root, [*argv, str(theirs.fileno()), mode], (theirs.fileno(),)
        )
        theirs.close()
        self._lock = threading.Lock()

    def template(self, lesson: int, files: dict[str, str]) -> None:
        with self._lock:
            send(self._sock, {"kind": "template", "lesson": lesson, "files": files})

    def box(self, key: str) -> str:
        """Where a job's files go, as the job sees it."""
        return (
            "/tmp/sandbox"
            if self.isolation.kernel
            else str(self.scratch / f"box-{key}")
        )

    def run(self, job: Job) -> Verdict:
        log = self.scratch / f"output-{job.key}.log"
        results_in, results_out = os.pipe()
        status_in, status_out = os.pipe()
        log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with self._lock:
                message = {"kind": "job", "job": job.to_json()}
                send(self._sock, message, [results_out, status_out, log_fd])
        finally:
            for fd in (results_out, status_out, log_fd):
                os.close(fd)
        data, status = _read_both(results_in, status_in, job.timeout + MARGIN)
        records, forged = [], 0
        for line in data.splitlines():
            record = Record.parse(line, job.nonce)
            forged += record is None
            records += [record] if record else []
        try:
            ending = Ending(**json.loads(status))
        except (ValueError, TypeError):
            ending = Ending(None)  # the keeper did not say: it was killed
        size = log.stat().st_size if log.exists() else 0
        return Verdict(records, forged, ending, size, child.last_line(log))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()
        try:
            self._process.wait(timeout=10)
        except Exception:
            self._process.kill()
            self._process.wait()


def _read_both(results: int, status: int, seconds: float) -> tuple[bytes, bytes]:
    """Everything from both pipes, until both close or `seconds` pass."""
    got = {results: bytearray(), status: bytearray()}
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        for fd in got:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map() and (left := deadline - time.monotonic()) > 0:
            for key, _ in selector.select(left):
                chunk = os.read(key.fd, 65536)
                if chunk and len(got[key.fd]) < RESULTS_LIMIT:
                    got[key.fd] += chunk
                elif not chunk:
                    selector.unregister(key.fd)
    for fd in got:
        os.close(fd)
    return bytes(got[results]), bytes(got[status])
