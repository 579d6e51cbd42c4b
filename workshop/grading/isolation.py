"""How grading is isolated on this machine: bubblewrap where it works, or the fence.

With bubblewrap (Linux), the grading zygote and every job it forks see a
read-only root made of the system folders and the Python that runs the grader,
nothing else of the machine (no checkout, no home folders, no /tmp, no
network), no capabilities (`--cap-drop ALL`), a clean environment, and die with
the grader (workshop.grading.launch). Where the grader runs as root, the
sandbox runs as `nobody` instead, since the kernel does not limit root's
processes. Each job then gets namespaces of its own
(workshop.grading.namespaces).

`detect()` does not trust that `bwrap` is installed: it runs one job's setup in
it, as grading would (Ubuntu 24.04 and later block unprivileged user namespaces
by default, so bwrap can be there and still fail).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from workshop.grading import launch
from workshop.project import WorkshopError

HOW_TO_GET_IT = (
    "For kernel isolation, grade on Linux with bubblewrap: `sudo apt install "
    "bubblewrap` (Debian, Ubuntu) or `sudo dnf install bubblewrap` (Fedora). On "
    "Ubuntu 24.04 and later, also allow it user namespaces while you grade: "
    "`sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0`. Until then, "
    "grade in a throwaway virtual machine."
)
MODES = ("auto", "bwrap", "fence")


@dataclass(frozen=True)
class Isolation:
    """What the grading sandbox is made of here."""

    bwrap: str | None  # the bubblewrap that works, or None: the fence only
    problem: str = ""  # why there is no kernel isolation

    @property
    def kernel(self) -> bool:
        return self.bwrap is not None

    def header(self) -> str:
        """The first lines of a grading report."""
        if self.kernel:
            user = " as nobody" if os.geteuid() == 0 else ""
            return (
                f"Isolation: bubblewrap{user} (read-only system, no network, no "
                "checkout or home folders, one namespace per notebook)."
            )
        return (
            "!! WEAKER ISOLATION: the submissions ran under an audit hook only, "
            f"which code written to escape it can get around ({self.problem}).\n"
            f"!! {HOW_TO_GET_IT}"
        )


def _probe(bwrap: str, root: Path) -> str:
    """ "ok", or why one job's sandbox cannot be set up here."""
    argv = [sys.executable, "-I", "-m", "workshop.grading.namespaces"]
    try:
        process = launch.start(bwrap, root, argv, capture=True)
        out, err = process.communicate(timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        return f"bubblewrap did not start: {error}"
    said = (out + err).decode(errors="replace").strip().splitlines()
    if process.returncode == 0 and said[-1:] == ["ok"]:
        return "ok"
    return said[-1] if said else f"bubblewrap exited with {process.returncode}"


_DETECTED: dict[tuple[str, Path], Isolation] = {}


def detect(root: Path, mode: str = "auto") -> Isolation:
    """The isolation `mode` gives here: "bwrap" insists on it, "fence" never
    tries it, "auto" takes bubblewrap when it works."""
    if mode not in MODES:
        raise WorkshopError(f"--isolation is one of {', '.join(MODES)}, not {mode!r}")
    if not hasattr(os, "fork"):
        raise WorkshopError(
            "workshop grade forks a process per notebook, which Windows cannot: "
            "grade inside WSL (Ubuntu on Windows), with bubblewrap installed there."
        )
    if mode == "fence":
        return Isolation(None, "--isolation fence was asked for")
    if (mode, root) not in _DETECTED:
        bwrap = shutil.which("bwrap")
        if not sys.platform.startswith("linux"):
            found = Isolation(None, f"bubblewrap needs Linux, this is {sys.platform}")
        elif bwrap is None:
            found = Isolation(None, "bubblewrap (bwrap) is not installed")
        else:
            said = _probe(bwrap, root)
            ok = said == "ok"
            found = Isolation(bwrap if ok else None, "" if ok else f"bwrap: {said}")
        _DETECTED[(mode, root)] = found
    found = _DETECTED[(mode, root)]
    if mode == "bwrap" and not found.kernel:
        raise WorkshopError(f"--isolation bwrap: {found.problem}. {HOW_TO_GET_IT}")
    return found


def describe(root: Path) -> str:
    """`workshop doctor`'s line on grading: which isolation `workshop grade` gets."""
    found = detect(root)
    if found.kernel:
        return f"✓ grading (instructors): {found.header().removeprefix('Isolation: ')}"
    return (
        f"! grading (instructors): only an audit hook would fence submissions here "
        f"({found.problem}). {HOW_TO_GET_IT}"
    )
