"""`make setup`: the virtual environment and its pinned packages, in seconds.

This runs with the machine's Python before anything is installed, so it uses the
standard library only. uv installs the packages when it can (a few seconds with a
warm cache, where pip takes 45 s to over 2 minutes); pip is the fallback. Both
read the same `constraints.txt`, so both install the same versions. uv is, in
order of preference:

1. the uv in the virtual environment (a previous setup put it there);
2. a uv on the PATH, 0.5 or newer (it also creates the environment, in a blink);
3. uv installed into the environment by pip, at the version constraints.txt pins.
   The environment is then made without pip, and pip runs from the wheel Python
   ships for `venv` to fetch uv; uv puts that same pip into the environment
   afterwards. Installing pip file by file is the slowest part of `python -m
   venv` (3 to 10 s on a busy laptop); uv does it in a fraction of a second.

When none of them works (no wheel for this machine, an index uv cannot reach),
pip installs the packages as it always did. uv is always told which interpreter
to install into (`--python .venv/bin/python`), so it never touches the machine's
Python. `make setup INSTALLER=pip` skips uv altogether. The last line says what
installed the packages and where the seconds went.

    python -m workshop.bootstrap VENV EXTRAS [--installer auto|uv|pip]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONSTRAINTS = "constraints.txt"
OLDEST_UV = (0, 5)  # a uv on the PATH older than this is left alone
PIP_QUIET = ["--quiet", "--disable-pip-version-check"]
# pip compiles every module it installs; uv only when asked. Without the compiled
# files, every interpreter that never writes them (PYTHONDONTWRITEBYTECODE, as
# checks, grading and many CI machines run) compiles FastAPI, SQLAlchemy and
# Jupyter's modules again: about 2 s of CPU for each process that imports the
# app (1.1 s with them, 3.1 s without, measured).
UV_INSTALL = ["pip", "install", "--quiet", "--compile-bytecode"]


class SetupError(Exception):
    """Setting up failed; the message says what to do."""


def scripts(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def interpreter(venv: Path) -> Path:
    return scripts(venv) / ("python.exe" if os.name == "nt" else "python")


def uv_version(uv: str) -> tuple[int, ...] | None:
    """`uv --version` as numbers, or None when it does not run."""
    try:
        answer = _run([uv, "--version"], quiet=True)
    except OSError:
        return None
    found = re.search(r"^uv (\d+)\.(\d+)\.(\d+)", answer.stdout)
    if answer.returncode != 0 or found is None:
        return None
    return tuple(int(n) for n in found.groups())


def uv_on_path() -> str | None:
    """A uv on the PATH that runs and is recent enough, or None."""
    uv = shutil.which("uv")
    if uv is None:
        return None
    version = uv_version(uv)
    return uv if version is not None and version >= OLDEST_UV else None


def _run(
    command: list[str], *, quiet: bool = False, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run a step, its output shown (or kept for the error message when quiet)."""
    return subprocess.run(
        command,
        capture_output=quiet,
        text=True,
        check=False,
        env=_environment(),
        cwd=cwd,
    )


def _environment() -> dict[str, str]:
    """The machine's environment, minus what would point an installer elsewhere
    (the explicit `--python` decides where packages go, never an active venv),
    or stop the installed files from being compiled once, here."""
    drop = {"VIRTUAL_ENV", "UV_SYSTEM_PYTHON", "UV_PYTHON", "PYTHONDONTWRITEBYTECODE"}
    return {k: v for k, v in os.environ.items() if k not in drop}


WARM_TEST = "def test_warm() -> None:\n    assert True\n"


def warm_pytest(python: Path) -> None:
    """Start pytest once, so its plugins' modules are kept with their asserts
    rewritten (pytest's own .pyc files beside the compiled ones). pytest reads
    them on every start; a process that may not write bytecode (checks, the
    notebooks' kernels, grading) would otherwise rewrite them at each start,
    about 2 s of CPU."""
    with tempfile.TemporaryDirectory(prefix="workshop-warm-") as folder:
        (Path(folder) / "test_warm.py").write_text(WARM_TEST)
        command = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        _run([*command, "test_warm.py"], quiet=True, cwd=Path(folder))


def bundled_pip() -> Path | None:
    """The pip wheel this Python ships for `venv` (in ensurepip, or where Debian
    keeps it), or None."""
    try:
        import ensurepip
    except ImportError:
        return None
    places = [Path(ensurepip.__file__).parent / "_bundled"]
    places.append(Path("/usr/share/python-wheels"))
    for place in places:
        wheels = sorted(place.glob("pip-*.whl"))
        if wheels:
            return wheels[-1]
    return None


def create(venv: Path, uv: str | None, *, pip: bool = True) -> None:
    """Create the environment: with uv when there is one, else with `venv`
    (`pip=False`: without pip, which uv adds later)."""
    if uv is not None:
        command = [uv, "venv", "--quiet", "--seed", "--python", sys.executable]
        if _run([*command, str(venv)]).returncode == 0:
            return
        shutil.rmtree(venv, ignore_errors=True)
    without = [] if pip else ["--without-pip"]
    made = _run([sys.executable, "-m", "venv", *without, str(venv)])
    if made.returncode != 0:
        raise SetupError(
            f"{sys.executable} -m venv failed. On Debian or Ubuntu, install the "
            "python3-venv package (sudo apt install python3-venv), then run make "
            "setup again."
        )


def has_pip(python: Path) -> bool:
    return _run([str(python), "-m", "pip", "--version"], quiet=True).returncode == 0


def ensure_pip(python: Path) -> None:
    if not has_pip(python):
        _run([str(python), "-m", "ensurepip", "--upgrade"], quiet=True)


def find_uv(venv: Path, python: Path, root: Path, wheel: Path | None) -> str | None:
    """A uv to install with: the environment's, the PATH's, or one pip fetches
    (pip from `wheel` when the environment has none)."""
    own = scripts(venv) / ("uv.exe" if os.name == "nt" else "uv")
    if own.exists() and uv_version(str(own)) is not None:
        return str(own)
    found = uv_on_path()
    if found is not None:
        return found
    if wheel is not None and not has_pip(python):
        pip = [str(python), str(wheel / "pip")]  # pip runs from its wheel
    else:
        ensure_pip(python)
        pip = [str(python), "-m", "pip"]
    constrained = ["-c", str(root / CONSTRAINTS), "uv"]
    got = _run([*pip, "install", *PIP_QUIET, *constrained], quiet=True)
    if got.returncode == 0 and own.exists():
        return str(own)
    print("uv could not be installed here; pip installs the packages instead.")
    return None


def install_with_uv(uv: str, python: Path, target: list[str], root: Path) -> bool:
    command = [uv, *UV_INSTALL, "--python", str(python)]
    done = _run([*command, "-c", CONSTRAINTS, *target], quiet=True, cwd=root)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        print(f"uv could not install the packages:\n{tail}\nTrying pip instead.")
    return done.returncode == 0


def install_with_pip(python: Path, target: list[str], root: Path) -> None:
    ensure_pip(python)
    command = [str(python), "-m", "pip", "install", *PIP_QUIET]
    if _run([*command, "-c", CONSTRAINTS, *target], cwd=root).returncode != 0:
        raise SetupError("pip could not install the packages: see its message above.")


class Steps:
    """How long each step took, for the last line."""

    def __init__(self) -> None:
        self.taken: list[tuple[str, float]] = []
        self.since = time.monotonic()

    def done(self, name: str) -> None:
        now = time.monotonic()
        self.taken.append((name, now - self.since))
        self.since = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.taken)


def setup(
    root: Path,
    venv: Path,
    extras: str,
    installer: str = "auto",
    steps: Steps | None = None,
) -> str:
    """Create `venv` if needed and install the project with `extras`, pinned.
    Returns what installed them: "uv X.Y.Z" or "pip"."""
    steps = steps or Steps()
    venv = root / venv
    python = interpreter(venv)
    target = ["-e", f".[{extras}]" if extras else "."]
    wheel = bundled_pip() if installer != "pip" else None
    if not python.exists():
        path_uv = uv_on_path() if installer != "pip" else None
        create(venv, path_uv, pip=path_uv is not None or wheel is None)
        steps.done("environment")
    if installer != "pip":
        uv = find_uv(venv, python, root, wheel)
        steps.done("uv")
        if uv is not None and install_with_uv(uv, python, target, root):
            if wheel is not None and not has_pip(python):  # for a notebook's %pip
                _run([uv, *UV_INSTALL, "--python", str(python), str(wheel)])
            steps.done("packages")
            warm_pytest(python)
            steps.done("pytest")
            version = uv_version(uv) or ()
            return "uv " + ".".join(map(str, version))
        if installer == "uv":
            raise SetupError("uv could not install the packages (INSTALLER=uv).")
    install_with_pip(python, target, root)
    steps.done("packages")
    warm_pytest(python)
    steps.done("pytest")
    return "pip"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workshop.bootstrap")
    parser.add_argument("venv", type=Path)
    parser.add_argument("extras", help="extras to install, comma-separated")
    parser.add_argument("--installer", choices=("auto", "uv", "pip"), default="auto")
    args = parser.parse_args(argv)
    root, steps = Path.cwd(), Steps()
    started = time.monotonic()
    try:
        used = setup(root, args.venv, args.extras, args.installer, steps)
    except SetupError as error:
        print(error, file=sys.stderr)
        return 1
    took = time.monotonic() - started
    print(
        f"Installed .[{args.extras}] into {args.venv} with {used} in {took:.1f} s "
        f"({steps})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
