"""What a test run leaves behind: processes it started that still run, new files
in the temporary folder and in the home folder.

A server a test forgot to stop keeps answering on the machine long after the
run (Uvicorn workers outlive a Gunicorn master killed with SIGKILL); a database
nobody deletes fills /tmp run after run. `make test` takes a snapshot before its
first stage and fails, naming each one, if the run left any.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MARK = "WORKSHOP_TEST_RUN"  # in the environment of everything a run starts
HOME_DEPTH = 2  # ~/.gunicorn, ~/.cache/matplotlib: deep enough to name the tool
PROC = Path("/proc")
# Fields 3, 4 and 22 of /proc/PID/stat (proc(5)), as indices into _stat's list.
STATE, PARENT, START = 0, 1, 19


@dataclass(frozen=True)
class Snapshot:
    root: Path
    run: str  # the value of MARK in this run's environment
    started: int  # clock ticks since boot, as /proc/PID/stat counts them
    tmp: frozenset[str]
    home: frozenset[str]


def take(root: Path, run: str) -> Snapshot:
    return Snapshot(
        root.resolve(),
        run,
        _uptime_ticks(),
        frozenset(_entries(_tmp(), 1)),
        frozenset(_entries(Path.home(), HOME_DEPTH)),
    )


def problems(snapshot: Snapshot, *, grace: float = 10.0) -> list[str]:
    """One line per process still running and per new file, after giving the
    processes `grace` seconds to finish stopping."""
    deadline = time.monotonic() + grace
    alive = survivors(snapshot)
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = survivors(snapshot)
    lines = [f"still running: {what}" for what in alive]
    lines += [f"new in {_tmp()}: {name}" for name in new_tmp(snapshot)]
    lines += [f"new in {Path.home()}: {name}" for name in new_home(snapshot)]
    return lines


def new_tmp(snapshot: Snapshot) -> list[str]:
    return sorted(set(_entries(_tmp(), 1)) - snapshot.tmp)


def new_home(snapshot: Snapshot) -> list[str]:
    found = set(_entries(Path.home(), HOME_DEPTH)) - snapshot.home
    # a new folder is named once, not with everything inside it
    return sorted(n for n in found if not any(n.startswith(f"{o}/") for o in found))


def survivors(snapshot: Snapshot) -> list[str]:
    """The processes of this run still running: `pid: command line`."""
    mine = _ancestors()
    found = []
    if not PROC.is_dir():
        return found
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            if _belongs(entry, snapshot):
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                found.append(f"{entry.name}: {command.decode(errors='replace')[:200]}")
        except OSError:  # it ended while we looked, or is not ours to read
            continue
    return sorted(found)


def _belongs(process: Path, snapshot: Snapshot) -> bool:
    """Started by this run: it carries the run's mark, or it started after the
    snapshot from inside the checkout (a child that was given a clean
    environment)."""
    fields = _stat(process)
    if fields[STATE] == "Z":  # a zombie: it ended, and only its entry is left
        return False
    if f"{MARK}={snapshot.run}".encode() in (process / "environ").read_bytes().split(
        b"\0"
    ):
        return True
    if int(fields[START]) < snapshot.started:
        return False
    root = str(snapshot.root)
    where = os.readlink(process / "cwd")
    command = (process / "cmdline").read_bytes().decode(errors="replace")
    return where == root or where.startswith(root + os.sep) or root in command


def _stat(process: Path) -> list[str]:
    """The fields of /proc/PID/stat after the command name, which is in brackets
    and may hold spaces and brackets of its own."""
    return (process / "stat").read_text().rsplit(")", 1)[1].split()


def _uptime_ticks() -> int:
    """Rounded: /proc/uptime has hundredths, so 81808.51 s is 8180851 ticks, but
    times 100 in floating point it is 8180850.999999999, and a process started in
    that tick was once taken for one started before the snapshot."""
    try:
        seconds = float((PROC / "uptime").read_text().split()[0])
    except OSError:
        return 0
    return round(seconds * os.sysconf("SC_CLK_TCK"))


def _ancestors() -> set[int]:
    """This process and the ones that started it (the runner, make, the shell)."""
    chain, pid = set(), os.getpid()
    while pid > 1 and pid not in chain:
        chain.add(pid)
        try:
            pid = int(_stat(PROC / str(pid))[PARENT])
        except OSError:
            break
    return chain


def _tmp() -> Path:
    return Path(tempfile.gettempdir())


def _entries(folder: Path, depth: int) -> list[str]:
    """Relative names of what is in `folder`, `depth` levels down."""
    names: list[str] = []
    try:
        children = list(os.scandir(folder))
    except OSError:
        return names
    for child in children:
        names.append(child.name)
        if depth > 1 and child.is_dir(follow_symlinks=False):
            below = _entries(Path(child.path), depth - 1)
            names += [f"{child.name}/{name}" for name in below]
    return names
