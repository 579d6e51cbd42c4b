"""An audit hook that refuses writes outside a job's folder, and new processes.

Under bubblewrap it only gives a clear status ("tried to write outside its
sandbox"): the kernel refuses those writes anyway. Where bubblewrap is missing
it is the only fence, and code that sets out to pass it can (ctypes raises no
audit event, for one): that is why the grading report then says the isolation
is weaker.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def outside(folder: Path) -> Callable[[Any], bool]:
    """A test: does a path (as an audit event gives it) lead outside `folder`?
    Symbolic links are followed, so a link made inside to a place outside counts
    as outside."""
    inside = os.path.realpath(folder)

    def test(path: Any) -> bool:
        if isinstance(path, int) or path is None:
            return False  # an open descriptor, or no path at all
        try:
            text = os.fsdecode(path)
        except TypeError:
            return False
        if text in {":memory:", "", os.devnull} or text.startswith("file::memory:"):
            return False
        if text.startswith("file:"):
            text = text[len("file:") :].split("?", 1)[0]
        full = os.path.realpath(os.path.join(os.getcwd(), text))
        return not (full == inside or full.startswith(inside + os.sep))

    return test


_INSTALLED: list[Path] = []


def installed() -> bool:
    """Is the fence up in this process? A check then runs in-process what it would
    start a process for: trying would be refused, and reported as the attendee's."""
    return bool(_INSTALLED)


def install(folder: Path, report: Callable[[str], None]) -> None:
    """From now on, refuse (and `report`) writes outside `folder` and new processes."""
    _INSTALLED.append(folder)
    leaves = outside(folder)

    def refuse(what: str) -> None:
        report(what)
        raise PermissionError(f"grading refuses this outside the sandbox: {what}")

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            path, _mode, flags = args
            if isinstance(flags, int) and flags & WRITE_FLAGS and leaves(path):
                refuse(f"open {path!s} for writing")
        elif event in PATH_EVENTS:
            for index in PATH_EVENTS[event]:
                if index < len(args) and leaves(args[index]):
                    refuse(f"{event} {args[index]!s}")
        elif event in PROCESS_EVENTS:
            refuse(f"{event} (starting a process)")

    sys.addaudithook(hook)
