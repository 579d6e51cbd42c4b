"""The grader's side of the zygote: start it, give it jobs, read what comes back.

One `Runner` per `workshop grade`. It starts the zygote (inside bubblewrap or
under the fence, see workshop.grading.isolation) from the main thread, sends it
the lessons' templates, then any number of jobs at once from grading threads.
For each job it makes three pipes (results, how the job ended, and its output:
a pipe, not a file, so nothing the job does to it, `fallocate` included,
takes room on the instructor's disk), and reads them back within the job's
timeout (plus a margin, should the keeper itself be stuck), keeping at most
`RESULTS_LIMIT` of results and the last `TAIL_BYTES` of output. For a lesson
judged outside, two more pipes carry the judge's requests and the job's
answers, and the lesson's checks run in the grading thread meanwhile
(workshop.grading.judge): the job's result pipe then carries no result.
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

from workshop.grading import launch, limits
from workshop.grading.isolation import Isolation
from workshop.grading.judge import Remote, judge_all
from workshop.grading.protocol import Ending, Job, Kind, Record, send

RESULTS_LIMIT = 8 * 2**20  # more than this on a result pipe is not the checks
TAIL_BYTES = 4096  # of the job's output, for its last line
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
        results_in, results_out = os.pipe()
        status_in, status_out = os.pipe()
        output_in, output_out = os.pipe()
        requests_in, requests_out = os.pipe() if job.judged else (-1, -1)
        answers_in, answers_out = os.pipe() if job.judged else (-1, -1)
        theirs = [results_out, status_out, output_out]
        theirs += [requests_in, answers_out] if job.judged else []
        try:
            with self._lock:
                message = {"kind": "job", "job": job.to_json()}
                send(self._sock, message, theirs)
        finally:
            for fd in theirs:
                os.close(fd)
        seconds = job.timeout + MARGIN
        judged: list[dict[str, object]] = []
        if job.judged:  # the checks run here while the pipes are read
            got: list[_Read] = []
            reader = threading.Thread(
                target=lambda: got.append(
                    _read_all(results_in, status_in, output_in, seconds)
                )
            )
            reader.start()
            remote = Remote(requests_out, answers_in, time.monotonic() + seconds)
            try:
                judged = judge_all(job.exercises, remote)
            finally:
                os.close(requests_out)  # the job's observer ends on this
                os.close(answers_in)
                reader.join()
            read = got[0]
        else:
            read = _read_all(results_in, status_in, output_in, seconds)
        records, forged = [], 0
        for line in read.results.splitlines():
            record = Record.parse(line, job.nonce)
            if record is not None and record.kind is Kind.RESULT and job.judged:
                record = None  # a judged job never writes a result: a forgery
            forged += record is None
            records += [record] if record else []
        records += [Record(Kind.RESULT, {"result": result}) for result in judged]
        try:
            ending = Ending(**json.loads(read.status))
        except (ValueError, TypeError):
            ending = Ending(None)  # the keeper did not say: it was killed
        lines = read.tail.decode(errors="replace").strip().splitlines()
        last = lines[-1] if lines else "no output"
        return Verdict(records, forged, ending, read.output_bytes, last)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()
        try:
            self._process.wait(timeout=10)
        except Exception:
            self._process.kill()
            self._process.wait()


@dataclass
class _Read:
    results: bytes
    status: bytes
    tail: bytes
    output_bytes: int


def _read_all(results: int, status: int, output: int, seconds: float) -> _Read:
    """Everything from the three pipes, until they close or `seconds` pass. The
    output is counted, its end kept; past `limits.FILE_SIZE` its pipe is closed
    (the job's next write fails, as it did at the file-size limit)."""
    got = {results: bytearray(), status: bytearray(), output: bytearray()}
    output_bytes = 0
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        for fd in got:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map() and (left := deadline - time.monotonic()) > 0:
            for key, _ in selector.select(left):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fd)
                elif key.fd == output:
                    output_bytes += len(chunk)
                    got[output] = (got[output] + chunk)[-TAIL_BYTES:]
                    if output_bytes > limits.FILE_SIZE:
                        selector.unregister(key.fd)
                elif len(got[key.fd]) < RESULTS_LIMIT:
                    got[key.fd] += chunk
    for fd in got:
        os.close(fd)
    return _Read(
        bytes(got[results]), bytes(got[status]), bytes(got[output]), output_bytes
    )
