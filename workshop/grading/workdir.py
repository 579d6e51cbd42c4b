"""The grader's scratch folder: removed at the end, or by the next run if killed.

Each run works in a folder of its own under one parent per user
(`$TMPDIR/workshop-grade-UID/`), and holds a lock on it while it lives. A run
killed with SIGKILL cannot clean up, so every run first removes the folders
whose lock nobody holds. The last run to end removes the parent too. The
folders never hold a solution: unpacked submissions, logs and (without
bubblewrap) the jobs' files only.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

LOCK = ".lock"


def parent() -> Path:
    """This user's folder for grading runs, made safely (not a link, not shared)."""
    folder = Path(tempfile.gettempdir()) / f"workshop-grade-{os.geteuid()}"
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = folder.lstat()
    if (
        not stat.S_ISDIR(info.st_mode)
        or info.st_uid != os.geteuid()
        or info.st_mode & 0o077
    ):
        return Path(tempfile.mkdtemp(prefix="workshop-grade-"))  # someone else's: avoid
    return folder


def clean_stale(folder: Path) -> list[Path]:
    """Remove the run folders under `folder` that no living run holds."""
    removed = []
    for run in sorted(folder.glob("run-*")):
        try:
            handle = os.open(run / LOCK, os.O_RDONLY)
        except FileNotFoundError:
            handle = None  # killed before it took its lock, or taking it now
            with contextlib.suppress(OSError):
                if time.time() - run.stat().st_mtime < 60:
                    continue
        except OSError:
            continue
        try:
            if handle is not None:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a run is using it
        finally:
            if handle is not None:
                os.close(handle)
        shutil.rmtree(run, ignore_errors=True)
        removed.append(run)
    return removed


def _raise_on_terminate(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def run_folder() -> Iterator[Path]:
    """A fresh folder for one run, removed when it ends (SIGTERM and SIGHUP
    included, when called from the main thread)."""
    folder = _new_run()
    handle = os.open(folder / LOCK, os.O_WRONLY | os.O_CREAT, 0o600)
    fcntl.flock(handle, fcntl.LOCK_EX)
    previous = {}
    with contextlib.suppress(ValueError):  # not the main thread: no handlers
        for signum in (signal.SIGTERM, signal.SIGHUP):
            previous[signum] = signal.signal(signum, _raise_on_terminate)
    try:
        yield folder
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        shutil.rmtree(folder, ignore_errors=True)
        os.close(handle)
        with contextlib.suppress(OSError):  # not empty: another run, or a stale one
            folder.parent.rmdir()


def _new_run(attempts: int = 3) -> Path:
    """A new run folder. Another grader's last run may remove the empty parent
    between our making it and our folder: then it is made again."""
    for _ in range(attempts - 1):
        with contextlib.suppress(FileNotFoundError):
            return _run_in(parent())
    return _run_in(parent())


def _run_in(base: Path) -> Path:
    clean_stale(base)
    return Path(tempfile.mkdtemp(prefix="run-", dir=base))
