"""The checks of one lesson, in the job's own process, and their records.

By the time `run` is called the job is in its folder, limited and (under
bubblewrap) without privileges. It then snapshots the checks' own code (see
workshop.grading.integrity), puts up the fence (workshop.grading.fence),
imports the attendee's app and runs each check; for a lesson judged outside
(workshop.grading.judge) it runs no check, and answers the judge's requests
instead (workshop.grading.observer). Every record goes to the result
pipe with the job's nonce, which is held only in a closure here: it is not in
the environment, a file, argv or a module global, where code imported from the
attendee's app would find it without digging through the interpreter's memory.
The process ends with `os._exit`, so no attendee `atexit` handler runs after
the last record.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, NoReturn

from workshop.checking import all_exercises, check_in_process, explain
from workshop.child import forget_app_modules
from workshop.grading import fence, integrity, observer
from workshop.grading.protocol import Job, Kind, Record

Send = Callable[..., None]
_write = os.write  # bound before any attendee code, like protocol's encoder


def sender(channel: int, nonce: str) -> Send:
    def send(kind: Kind, **data: Any) -> None:
        line = Record(kind, data).line(nonce)
        while line:
            line = line[_write(channel, line) :]

    return send


def environment(box: Path) -> dict[str, str]:
    """All a check's process has in its environment (each check adds its own)."""
    return {
        "HOME": str(box / ".grading" / "home"),
        "TMPDIR": str(box / ".grading" / "tmp"),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _check(exercise_id: str) -> dict[str, Any]:
    forget_app_modules()
    try:
        return asdict(check_in_process(exercise_id))
    except BaseException as error:  # SystemExit too: attendee code can call exit()
        return {"exercise": exercise_id, "error": f"{type(error).__name__}: {error}"}


def run(job: Job, channel: int) -> NoReturn:
    """Check `job.exercises` in `job.box`, sending records to `channel`."""
    send = sender(channel, job.nonce)
    for stream in (sys.stdout, sys.stderr):  # the log's last line must be there
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(line_buffering=True)
    box = Path(job.box)
    env = environment(box)
    os.chdir(box)
    os.environ.clear()
    os.environ.update(env)
    tempfile.tempdir = None  # take TMPDIR from the new environment
    sys.path.insert(0, str(box))  # `app` is the box's, never the checkout's
    sys.dont_write_bytecode = True
    all_exercises()
    before = integrity.take()
    fence.install(box, lambda what: send(Kind.VIOLATION, what=what))
    if Path("app", "main.py").is_file():
        try:
            importlib.import_module("app.main")
        except BaseException as error:
            send(Kind.IMPORT_ERROR, text=explain(error))
    if job.judged:  # the checks run in the grader: only answer its requests
        _serve(env, lambda: _tampered(before, send))
        _tampered(before, send)
        _done(send)
    for exercise_id in job.exercises:
        result = _check(exercise_id)
        os.environ.clear()
        os.environ.update(env)  # each check sets its own variables, and only those
        changed = integrity.changes(before)
        if changed:
            send(Kind.TAMPER, what=changed)
        send(Kind.RESULT, result=result)
    _done(send)


def _tampered(before: integrity.Snapshot, send: Send) -> None:
    changed = integrity.changes(before)
    if changed:
        send(Kind.TAMPER, what=changed)


def _serve(env: dict[str, str], each: Callable[[], None]) -> None:
    observer.serve(observer.REQUESTS_FD, observer.ANSWERS_FD, env, each)


def _done(send: Send) -> NoReturn:
    send(Kind.DONE)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(0)
