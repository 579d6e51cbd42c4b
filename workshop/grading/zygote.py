"""The warm process that forks one grading job after another.

`python -m workshop.grading.zygote FD MODE` imports FastAPI and the checks once,
then serves the grader over the socket FD (workshop.grading.protocol): a job
costs a fork instead of a fresh interpreter (about 0.7 s each). MODE is
"namespaces" inside bubblewrap, "fence" without it.

For each job it forks a keeper, which gives the job namespaces of its own (in
"namespaces" mode), forks the job's first process (workshop.grading.jobprocess),
waits for it within the job's timeout, kills what is left, and reports how it
ended on the job's status pipe. The zygote itself never runs attendee code and
closes its socket in every keeper, so no job can reach it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import select
import signal
import socket
import sys
import time

from workshop.grading import jobprocess
from workshop.grading.protocol import Ending, Job, receive

# Imported once here, so a job does not pay for them (the app's own modules
# are imported by each job, from its folder). A module not installed is skipped.
WARM = (
    "workshop.checking",
    "workshop.exercises",
    "workshop.grading.worker",
    "workshop.grading.namespaces",
    "fastapi",
    "fastapi.testclient",
    "anyio._backends._asyncio",
    "pydantic_settings",
    "email_validator",
    "sqlalchemy.ext.asyncio",
    "aiosqlite",
    "alembic.command",  # the checks migrate a database from lesson 04 on
    "alembic.config",
    "jwt",
    "pwdlib",
    "argon2",
    "pytest",
)


def warm_up() -> None:
    for name in WARM:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def _wait(pid: int, seconds: float) -> Ending:
    """Wait for `pid` at most `seconds`, then kill it."""
    deadline = time.monotonic() + seconds
    handle = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return Ending(os.waitstatus_to_exitcode(status))
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                return Ending(os.waitstatus_to_exitcode(status), timed_out=True)
            if handle is not None:
                select.select([handle], [], [], left)
            else:
                time.sleep(min(left, 0.01))
    finally:
        if handle is not None:
            os.close(handle)


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        from workshop.grading import namespaces

        namespaces.die_with_parent()


def keep(job: Job, files: dict[str, str], fds: list[int], *, isolated: bool) -> None:
    """In the keeper: run the job, and report how it ended."""
    results, status, log, *channel = fds
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _die_with_parent()
    if isolated:
        from workshop.grading import namespaces

        namespaces.unshare_job()
    pid = os.fork()
    if pid == 0:
        os.close(status)
        jobprocess.start(job, files, results, log, channel, isolated=isolated)
    for fd in (results, log, *channel):  # the job's ends close with the job
        os.close(fd)
    ending = _wait(pid, job.timeout)
    if not isolated:  # under bwrap, the end of PID 1 ends its whole namespace
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    os.write(status, json.dumps(ending.__dict__).encode())


def serve(sock: socket.socket, *, isolated: bool) -> None:
    templates: dict[int, dict[str, str]] = {}
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # keepers are reaped by the kernel
    while (received := receive(sock)) is not None:
        message, fds = received
        if message["kind"] == "template":
            templates[int(message["lesson"])] = dict(message["files"])
            continue
        job = Job.from_json(message["job"])
        pid = os.fork()
        if pid == 0:
            try:
                sock.close()
                files = {**templates.get(job.lesson, {}), **job.files}
                templates.clear()  # later lessons' files hold earlier solutions
                message.clear()
                keep(job, files, fds, isolated=isolated)
            except BaseException as error:
                with contextlib.suppress(OSError):
                    os.write(
                        fds[2], f"grading could not keep the job: {error!r}\n".encode()
                    )
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)


def main(argv: list[str]) -> None:
    fd, mode = int(argv[0]), argv[1]
    sock = socket.socket(fileno=fd)
    _die_with_parent()  # killed with the grader, even by SIGKILL
    warm_up()
    with contextlib.suppress(KeyboardInterrupt):
        serve(sock, isolated=mode == "namespaces")


if __name__ == "__main__":
    main(sys.argv[1:])
