"""Binder builds the workshop: what repo2docker would build, and its install, replayed.

No Docker daemon runs here, so the image itself is never built. What can run is
checked for real: `repo2docker --no-build` on the files a clone has prints the
Dockerfile Binder would build, which must come from `.binder/` and not from the
service's Dockerfile; then the build's install steps that need no conda run, as
a user that is not root, in a fresh virtual environment of the Python
`.binder/environment.yml` names: the Jupyter packages of repo2docker's base
environment at the versions its lock file pins, then the postBuild's pip
install, then a check that no package's requirements broke; and notebooks 00
and 01 run there from a fresh kernel. What conda-forge would solve is not
proven here (README, "Binder").
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from workshop import child
from workshop.authoring.fold import managed_files
from workshop.authoring.suite import STATE
from workshop.project import managed_on_disk
from workshop.tests.conftest import ROOT

REPO2DOCKER = Path(sys.executable).with_name("repo2docker")
UV = Path(sys.executable).with_name("uv")
BINDER_USER = ("1000", "jovyan")  # the user Binder builds and runs as
# Set to use pip itself, as Binder does (about 2 minutes here, against 15 s).
WITH_PIP = "WORKSHOP_BINDER_WITH_PIP"


def _clone_files(dest: Path) -> Path:
    """The files a clone has: tracked or new, never ignored (no .venv, no .workshop)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def _would_build(repo: Path) -> str:
    if not REPO2DOCKER.exists():
        pytest.skip("jupyter-repo2docker is not installed (the dev set pins it)")
    uid, name = BINDER_USER
    user = ["--user-id", uid, "--user-name", name]
    result = subprocess.run(
        [str(REPO2DOCKER), "--no-build", "--debug", *user, str(repo)],
        capture_output=True,
        text=True,
        check=True,
        env=child.environment(),
    )
    return result.stdout  # the Dockerfile; what it decided goes to stderr


def test_repo2docker_builds_the_binder_folder_not_the_service_image(
    tmp_path: Path,
) -> None:
    clone = _clone_files(tmp_path / "clone")
    dockerfile = _would_build(clone)
    assert 'env update -p ${NB_PYTHON_PREFIX} --file ".binder/environment.yml"' in (
        dockerfile
    )
    assert "RUN ./.binder/postBuild" in dockerfile
    assert "COPY --chown=1000:1000 src/ ${REPO_DIR}/" in dockerfile
    assert dockerfile.rstrip().endswith(
        'CMD ["jupyter", "notebook", "--ip", "0.0.0.0"]'
    )
    service = (clone / "Dockerfile").read_text()
    assert "gunicorn" not in dockerfile and "gunicorn" in service
    # Without .binder/, the root's Dockerfile wins: the image would be the service's.
    shutil.rmtree(clone / ".binder")
    assert 'CMD ["gunicorn"' in _would_build(clone)


# Names of repo2docker's base environment (conda-forge) that PyPI spells otherwise
PYPI_NAMES = {"jupyterhub-singleuser": "jupyterhub", "jupyter_server": "jupyter-server"}


def _base_environment(python: str) -> list[str]:
    """The Jupyter packages repo2docker puts in the image before the postBuild,
    pinned as its lock file for `python` pins them, by their PyPI names."""
    spec = importlib.util.find_spec("repo2docker")
    if spec is None or spec.origin is None:
        pytest.skip("jupyter-repo2docker is not installed (the dev set pins it)")
    conda = Path(spec.origin).parent / "buildpacks" / "conda"
    wanted = yaml.safe_load((conda / "environment.yml").read_text())["dependencies"]
    lock = (conda / f"environment.py-{python}-linux-64.lock").read_text()
    pins = []
    for name in (re.split(r"[=<>]", str(d))[0] for d in wanted):
        if name in {"python", "nodejs", "pip"}:
            continue
        found = re.search(rf"/{re.escape(name)}-(\d[^-]*)-[^-/]+\.conda", lock)
        assert found, f"{name} is not in repo2docker's lock file"
        pins.append(f"{PYPI_NAMES.get(name, name)}=={found.group(1)}")
    return pins


def _install_command() -> list[str]:
    """The postBuild's one command: `python -m pip install ...`."""
    lines = [
        line
        for line in (ROOT / ".binder" / "postBuild").read_text().splitlines()
        if line.strip() and not line.startswith("#") and line != "set -euo pipefail"
    ]
    assert len(lines) == 1, lines
    words = shlex.split(lines[0])
    assert words[:4] == ["python", "-m", "pip", "install"], words
    return words[4:]


@pytest.fixture
def binder_home() -> Iterator[Path]:
    """A folder the notebook user owns, as /home/jovyan is in the image."""
    top = Path(tempfile.mkdtemp(prefix="workshop-binder-"))
    top.chmod(0o755)
    try:
        yield top
    finally:  # rm is several times faster than shutil.rmtree on a venv and a cache
        subprocess.run(["rm", "-rf", "--", str(top)], check=False)


def _as_user(home: Path) -> list[str]:
    """Run as `nobody` when we are root (Binder's postBuild never runs as root)."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("runuser is missing: cannot run the install as another user")
    subprocess.run(["chown", "-R", "nobody:", str(home)], check=True)
    return [runuser, "-u", "nobody", "--"]


def test_the_binder_install_runs_notebooks_00_and_01(binder_home: Path) -> None:
    env_file = yaml.safe_load((ROOT / ".binder" / "environment.yml").read_text())
    (python,) = [d[len("python=") :] for d in env_file["dependencies"] if "=" in d]
    repo = _clone_files(binder_home / "repo")
    home, venv = binder_home / "home", binder_home / "env"
    home.mkdir()
    user = _as_user(binder_home)
    bin_path = "/usr/local/bin:/usr/bin:/bin"  # an image's PATH, not this machine's
    env = child.environment(
        HOME=str(home),
        PATH=f"{venv / 'bin'}:{bin_path}",
        UV_CACHE_DIR=str(binder_home / "uv-cache"),
        UV_PYTHON_DOWNLOADS="never",
        UV_PYTHON_PREFERENCE="only-system",
    )
    env.pop("VIRTUAL_ENV", None)
    # runuser gives the user its own HOME (nobody's does not exist): the tools'
    # state goes in the home made for it, never in root's folders or /tmp
    env.update({name: str(home / name.lower()) for name in STATE})

    def run(*command: str) -> None:
        started = time.monotonic()
        result = subprocess.run(
            [*user, *command], cwd=repo, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        print(f"{time.monotonic() - started:.1f} s: {' '.join(command)[:80]}")

    base = _base_environment(python)  # what the image holds before the postBuild
    if os.environ.get(WITH_PIP):
        run(f"/usr/bin/python{python}", "-m", "venv", str(venv))
        run("python", "-m", "pip", "install", "-q", *base)
        run("bash", ".binder/postBuild")
        run("python", "-m", "pip", "check")
    else:  # the postBuild's pip arguments, installed by uv (pip's cache options aside)
        arguments = [a for a in _install_command() if a != "--no-cache-dir"]
        uv_pip = [str(UV), "pip"]
        target = ["-q", "-p", str(venv / "bin" / "python")]
        run(str(UV), "venv", "-q", "-p", python, str(venv))
        run(*uv_pip, "install", *target, *base)
        run(*uv_pip, "install", *target, *arguments)
        run(*uv_pip, "check", *target)  # the pins did not break the base's packages
    # nbval runs the notebooks: it is in the dev set, not in Binder's
    run(
        str(UV),
        "pip",
        "install",
        "-q",
        "-p",
        str(venv / "bin" / "python"),
        "-c",
        "constraints.txt",
        "nbval",
    )
    (home / "pytest.ini").write_text(
        "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
    )
    run(
        str(venv / "bin" / "python"),
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-c",
        str(home / "pytest.ini"),
        "--rootdir",
        str(repo),
        "--nbval-lax",
        "--nbval-current-env",
        "--nbval-cell-timeout",
        "600",
        "notebooks/00-welcome.ipynb",
        "notebooks/01-structure.ipynb",
    )
    # 00 moved the files to lesson 01's start, and 01's cells wrote its files
    on_disk = {path: p.read_text() for path, p in managed_on_disk(repo).items()}
    assert on_disk == managed_files(repo, through=1, stubbed=True).texts()
