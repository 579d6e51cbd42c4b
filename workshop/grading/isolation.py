"""How grading is isolated on this machine: bubblewrap where it works, or the fence.

With bubblewrap (Linux), the grading zygote and every job it forks see a
read-only root made of the system folders and the Python that runs the grader,
nothing else of the machine (no checkout, no home folders, no /tmp, no
network), no capabilities (`--cap-drop ALL`), a clean environment, and die with
the grader. Where the grader runs as root, the sandbox runs as `nobody`
instead, since the kernel does not limit root's processes. Each job then gets
namespaces of its own (workshop.grading.namespaces).

`detect()` does not trust that `bwrap` is installed: it runs one job's setup in
it, as grading would (Ubuntu 24.04 and later block unprivileged user namespaces
by default, so bwrap can be there and still fail).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
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


def _runtime_dirs() -> list[str]:
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
    command = [bwrap, "--unshare-all", "--unshare-user", "--cap-drop", "ALL"]
    command += ["--die-with-parent", "--new-session", "--clearenv"]
    for name, value in ENVIRONMENT.items():
        command += ["--setenv", name, value]
    for folder in SYSTEM:
        if os.path.islink(folder):
            command += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            command += ["--ro-bind", folder, folder]
    for folder in _runtime_dirs():
        if root.resolve() == Path(folder) or Path(folder) in root.resolve().parents:
            raise WorkshopError(
                f"The grading Python lives in {folder}, which holds the checkout "
                f"{root} and its solutions: use a Python installed elsewhere."
            )
        command += ["--ro-bind", sources.get(folder, folder), folder]
    command += ["--dev", "/dev", "--proc", "/proc", "--size", str(2**20)]
    command += ["--tmpfs", "/tmp", "--remount-ro", "/", "--chdir", "/", *argv]
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


def launch(
    isolation: Isolation,
    root: Path,
    argv: list[str],
    pass_fds: tuple[int, ...] = (),
    *,
    capture: bool = False,
) -> subprocess.Popen[bytes]:
    """Start `argv` (a Python command) in the sandbox, or plainly under the fence,
    with a clean environment. Call it from the main thread: bwrap and the zygote
    die with the thread that started them."""
    if isolation.bwrap is None:
        env = {**ENVIRONMENT, "HOME": str(Path(os.devnull))}
        return subprocess.Popen(argv, env=env, pass_fds=pass_fds, cwd="/")
    prepare = None
    sources: dict[str, str] = {}
    if os.geteuid() == 0:
        sources, prepare = _as_nobody(_runtime_dirs())
    command = bwrap_command(isolation.bwrap, root, argv, sources)
    return subprocess.Popen(
        command,
        env={},
        pass_fds=pass_fds,
        preexec_fn=prepare,  # before any grading thread is started
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE if capture else None,
    )


def _probe(bwrap: str, root: Path) -> str:
    """ "ok", or why one job's sandbox cannot be set up here."""
    argv = [sys.executable, "-I", "-m", "workshop.grading.namespaces"]
    try:
        process = launch(Isolation(bwrap), root, argv, capture=True)
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
