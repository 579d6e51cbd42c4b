"""Starting a process for grading: inside bubblewrap, or plainly under the fence.

The bubblewrap command shares read-only the system folders and the Python that
runs the grader (its prefixes and the workshop package, nothing else of the
import path: an editable install puts the whole checkout there), and nothing
writable but a private /tmp. `start` runs a command that way, or without
bubblewrap in the same clean environment. Where the grader runs as root it
first becomes `nobody`, after binding, in a mount namespace of its own, the
folders nobody could not reach (a Python under /root) where bwrap can read
them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import workshop
from workshop.grading import namespaces
from workshop.project import WorkshopError

SANDBOX_UID = SANDBOX_GID = 65534  # nobody, when the grader runs as root
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
ENVIRONMENT = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/tmp",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONNOUSERSITE": "1",
}


def runtime_dirs() -> list[str]:
    """Folders the grading Python needs besides the system: its installation,
    its environment (standard library, site-packages) and the workshop package.
    Nothing else on the import path is shared: an editable install puts the
    whole checkout there, solutions included."""
    wanted = {sys.base_prefix, sys.prefix, sys.exec_prefix, sys.base_exec_prefix}
    wanted.add(str(Path(workshop.__file__).resolve().parent))
    found = sorted({str(Path(p).resolve()) for p in wanted if Path(p).is_dir()})
    return [p for p in found if not any(p.startswith(q + "/") for q in found)]


def bwrap_command(
    bwrap: str, root: Path, argv: list[str], sources: dict[str, str]
) -> list[str]:
    """The bubblewrap command line that runs `argv`; `sources` maps each runtime
    folder to where bwrap can read it (itself, unless the grader is root)."""
    runtime = runtime_dirs()
    shared = [f for f in SYSTEM if os.path.isdir(f) and not os.path.islink(f)]
    checkout = root.resolve()
    for folder in [*shared, *runtime]:
        if checkout == Path(folder) or Path(folder) in checkout.parents:
            raise WorkshopError(
                f"The checkout {root} lies in {folder}, which grading shares with "
                "the attendee's code: its solutions would be readable there. Grade "
                "from a checkout outside it, with a Python installed outside it."
            )
    command = [bwrap, "--unshare-all", "--unshare-user", "--cap-drop", "ALL"]
    command += ["--die-with-parent", "--new-session", "--clearenv"]
    for name, value in ENVIRONMENT.items():
        command += ["--setenv", name, value]
    for folder in SYSTEM:
        if os.path.islink(folder):
            command += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            command += ["--ro-bind", folder, folder]
    # /tmp first: a runtime folder under /tmp (a checkout cloned there) is bound
    # on top of it, not hidden by it.
    command += ["--dev", "/dev", "--proc", "/proc", "--size", str(2**20)]
    command += ["--tmpfs", "/tmp"]
    for folder in runtime:
        command += ["--ro-bind", sources.get(folder, folder), folder]
    command += ["--remount-ro", "/", "--chdir", "/", *argv]
    return command


def _as_nobody(folders: list[str]) -> tuple[dict[str, str], Callable[[], None]]:
    """For a grader running as root: where bwrap, run as nobody, can read each
    runtime folder, and the function that makes it so in the child before bwrap
    starts (a private mount namespace: nothing changes on the machine)."""
    sources = {folder: f"/tmp/{n}" for n, folder in enumerate(folders)}

    def prepare() -> None:
        namespaces.bind_on_private_tmp(folders)
        os.setgroups([])
        os.setresgid(SANDBOX_GID, SANDBOX_GID, SANDBOX_GID)
        os.setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID)

    return sources, prepare


def start(
    bwrap: str | None,
    root: Path,
    argv: list[str],
    pass_fds: tuple[int, ...] = (),
    *,
    capture: bool = False,
) -> subprocess.Popen[bytes]:
    """Start `argv` (a Python command) in `bwrap`, or plainly when it is None,
    with a clean environment. Call it from the main thread: bwrap and the zygote
    die with the thread that started them."""
    output = subprocess.PIPE if capture else None
    if bwrap is None:
        env = {**ENVIRONMENT, "HOME": os.devnull}
        return subprocess.Popen(
            argv, env=env, pass_fds=pass_fds, cwd="/", stdout=output, stderr=output
        )
    prepare = None
    sources: dict[str, str] = {}
    if os.geteuid() == 0:
        sources, prepare = _as_nobody(runtime_dirs())
    command = bwrap_command(bwrap, root, argv, sources)
    return subprocess.Popen(
        command,
        env={},
        pass_fds=pass_fds,
        preexec_fn=prepare,  # before any grading thread is started
        stdout=output,
        stderr=output,
    )
