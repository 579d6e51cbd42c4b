"""The child side of grading: one process runs one lesson's checks, fenced in.

The grader forks these from a warm process (multiprocessing's forkserver, with
FastAPI already imported), so a notebook costs a fork, not a fresh interpreter.
`grade_in_sandbox` moves into the sandbox, then caps CPU time, memory and file size, and
installs an audit hook that refuses writes outside the sandbox and new
processes, all before any attendee code is imported. This is defence in depth
against accidents, not a security boundary: code that means harm can get
around an audit hook.

Each line of its records file is a JSON object: {"import_error": ...} once if
`app.main` does not import, {"result": ...} per exercise, {"violation": ...}
per refusal.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from workshop.checking import all_exercises, check_in_process, explain
from workshop.child import forget_app_modules

FILE_SIZE_LIMIT = 16 * 2**20  # a runaway print loop stops here, disk intact
MEMORY_LIMIT = 4 * 2**30
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# Audit events that change the file system: which of their arguments are paths.
PATH_EVENTS = {
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.rename": (0, 1),
    "os.link": (0, 1),
    "os.symlink": (1,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.truncate": (0,),
    "os.utime": (0,),
    "shutil.rmtree": (0,),
    "shutil.copyfile": (1,),
    "shutil.move": (0, 1),
    "sqlite3.connect": (0,),
}
PROCESS_EVENTS = {
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
}


def limit_resources(seconds: float) -> None:
    """Caps that hold even if the parent's wall-clock timeout were late."""
    cpu = int(seconds) + 5
    for kind, value in (
        (resource.RLIMIT_CPU, cpu),
        (resource.RLIMIT_AS, MEMORY_LIMIT),
        (resource.RLIMIT_FSIZE, FILE_SIZE_LIMIT),
    ):
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))


def fence(sandbox: Path, records: IO[str]) -> None:
    """Refuse writes outside `sandbox` and new processes; report each refusal."""
    inside = {str(sandbox), os.path.realpath(sandbox)}

    def outside(path: Any) -> bool:
        if isinstance(path, int) or path is None:
            return False  # an open descriptor, or no path at all
        try:
            text = os.fsdecode(path)
        except TypeError:
            return False
        if text in {":memory:", "", os.devnull} or text.startswith("file::memory:"):
            return False
        full = os.path.normpath(os.path.join(os.getcwd(), text))
        return not any(
            full == root or full.startswith(root + os.sep) for root in inside
        )

    def refuse(what: str) -> None:
        emit(records, {"violation": what})
        raise PermissionError(f"grading refuses this outside the sandbox: {what}")

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            path, _mode, flags = args
            if isinstance(flags, int) and flags & WRITE_FLAGS and outside(path):
                refuse(f"open {path!s} for writing")
        elif event in PATH_EVENTS:
            for index in PATH_EVENTS[event]:
                if index < len(args) and outside(args[index]):
                    refuse(f"{event} {args[index]!s}")
        elif event in PROCESS_EVENTS:
            refuse(f"{event} (starting a process)")

    sys.addaudithook(hook)


def emit(records: IO[str], record: dict[str, Any]) -> None:
    records.write(json.dumps(record) + "\n")
    records.flush()


def grade_in_sandbox(
    sandbox: str,
    records_path: str,
    log_path: str,
    env: dict[str, str],
    ids: list[str],
    seconds: float,
) -> None:
    """The target of the grading process: `ids` checked in `sandbox`."""
    records = open(records_path, "w", encoding="utf-8")  # noqa: SIM115 (open to the end)
    sys.stdout.flush()
    sys.stderr.flush()
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)  # prints go to a file of which the grader reads only the tail
    os.dup2(log, 2)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.chdir(sandbox)
    os.environ.clear()
    os.environ.update(env)
    tempfile.tempdir = None  # take TMPDIR from the new environment
    sys.path.insert(0, sandbox)  # `app` is the sandbox's, never the checkout's
    sys.dont_write_bytecode = True
    all_exercises()
    limit_resources(seconds)
    fence(Path(sandbox), records)
    if Path("app", "main.py").is_file():
        try:
            importlib.import_module("app.main")
        except BaseException as error:  # SystemExit too: attendee code can call exit()
            emit(records, {"import_error": explain(error)})
    for exercise_id in ids:
        forget_app_modules()
        try:
            result = asdict(check_in_process(exercise_id))
        except BaseException as error:
            result = {
                "exercise": exercise_id,
                "error": f"{type(error).__name__}: {error}",
            }
        os.environ.clear()
        os.environ.update(env)  # each check sets its own variables, and only those
        emit(records, {"result": result})
    records.close()
