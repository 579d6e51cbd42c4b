"""The first process of a grading job: its folder, its files, its limits.

Forked by the job's keeper (workshop.grading.zygote). Under bubblewrap it is
PID 1 of the job's own namespaces: it mounts the job's /proc and /tmp, brings
up the loopback of its network namespace (nothing else is in it), writes
the lesson's files and the attendee's into /tmp, then drops every privilege
before any attendee code runs. Either way it starts a session of its own:
a process group spans PID namespaces, so `kill(0, ...)` from the job would
otherwise reach the zygote; and without bubblewrap the keeper stops the whole
group at the end. Without bubblewrap it writes the files into the folder the
grader chose.
"""

from __future__ import annotations

import fcntl
import os
import resource
import sys
from pathlib import Path
from typing import NoReturn

from workshop.grading import limits, worker
from workshop.grading.launch import runtime_dirs
from workshop.grading.observer import ANSWERS_FD, REQUESTS_FD
from workshop.grading.protocol import Job
from workshop.project import is_managed

TMP_BYTES = 256 * 2**20  # the job's /tmp: its files, HOME and TMPDIR
RESULTS_FD = 3


def write_box(box: Path, files: dict[str, str], deleted: tuple[str, ...]) -> None:
    """The job's files under `box`; paths were checked by the grader, and again here."""
    for path, text in files.items():
        if is_managed(path) and path not in deleted:
            target = box / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    for private in ("home", "tmp"):
        (box / ".grading" / private).mkdir(parents=True, exist_ok=True)


def _only_these_files(results: int, log: int, channel: list[int]) -> None:
    """stdin from /dev/null, stdout and stderr to the log, the result pipe on fd 3,
    a judged lesson's requests and answers on fds 4 and 5, and nothing else
    open (not the zygote's socket, not another job's pipe)."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    # Copied above fd 5 first, so that no dup2 below overwrites one not yet moved.
    moved = [
        fcntl.fcntl(fd, fcntl.F_DUPFD, ANSWERS_FD + 1) for fd in (results, *channel)
    ]
    last = RESULTS_FD
    for target, fd in zip((RESULTS_FD, REQUESTS_FD, ANSWERS_FD), moved, strict=False):
        os.dup2(fd, target)
        last = target
    highest = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    os.closerange(last + 1, highest if highest > 0 else 4096)


def start(
    job: Job,
    files: dict[str, str],
    results: int,
    log: int,
    channel: list[int],
    *,
    isolated: bool,
) -> NoReturn:
    code = 70
    try:
        os.setsid()  # a group of its own: kill(0, ...) reaches nothing else
        if sys.platform.startswith("linux"):
            from workshop.grading import namespaces

            namespaces.die_with_parent()
            namespaces.first_to_go()
        if isolated:
            namespaces.private_mounts(TMP_BYTES, keep=runtime_dirs())
            namespaces.loopback_up()
        write_box(Path(job.box), files, job.deleted)
        _only_these_files(results, log, channel if job.judged else [])
        limits.apply(job.timeout, count_processes=isolated)
        if isolated:
            namespaces.drop_privileges()
        worker.run(job, RESULTS_FD)
    except BaseException as error:
        os.write(log, f"grading could not set up the job: {error!r}\n".encode())
    finally:
        os._exit(code)
