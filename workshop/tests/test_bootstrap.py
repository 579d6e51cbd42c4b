"""`make setup`: uv when it can, pip otherwise, the same pins, never the system.

The choices are tested on a pretend machine (each command is recorded and its
effect on disk imitated); one real setup of a tiny project shows uv creating the
environment and installing into it; and the versions are compared: what uv
resolves for this interpreter, what pip resolves against the environment `make
setup` installed, and what that environment holds.
"""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from packaging.utils import canonicalize_name

from workshop import bootstrap, pins

UV_OK = "uv 0.13.9 (x86_64-unknown-linux-gnu)\n"


class Machine:
    """Answers the commands bootstrap runs, as a machine with these traits would."""

    def __init__(
        self,
        tmp: Path,
        *,
        uv_on_path: str | None = None,  # what `uv --version` says there
        wheel: bool = True,  # Python ships a pip wheel for venv
        uv_wheel: bool = True,  # pip can install uv
        uv_installs: bool = True,  # uv can install the packages
    ) -> None:
        self.tmp, self.commands = tmp, []
        self.path_uv = tmp / "path" / "uv"
        self.pip_wheel = tmp / "ensurepip" / "pip-23.2.1-py3-none-any.whl"
        self.uv_on_path, self.wheel = uv_on_path, wheel
        self.uv_wheel, self.uv_installs = uv_wheel, uv_installs
        self.venv = tmp / ".venv"

    def which(self, name: str) -> str | None:
        return str(self.path_uv) if name == "uv" and self.uv_on_path else None

    def has_pip(self) -> bool:
        return (self.venv / "pip-here").exists()

    def run(
        self, command: list[str], *, quiet: bool = False, cwd: Path | None = None
    ) -> SimpleNamespace:
        self.commands.append(command)
        ok = SimpleNamespace(returncode=0, stdout="", stderr="")
        failed = SimpleNamespace(returncode=1, stdout="", stderr="no luck\n")
        if command[1:] == ["--version"]:
            answer = UV_OK if command[0] != str(self.path_uv) else self.uv_on_path
            return SimpleNamespace(returncode=0, stdout=answer, stderr="")
        if command[1] == "venv" or command[1:3] == ["-m", "venv"]:
            python = bootstrap.interpreter(Path(command[-1]))
            python.parent.mkdir(parents=True)
            python.touch()
            if "--without-pip" not in command:
                (self.venv / "pip-here").touch()
            return ok
        if command[1:] == ["-m", "pip", "--version"]:
            return ok if self.has_pip() else failed
        if command[1:3] == ["-m", "ensurepip"]:
            (self.venv / "pip-here").touch()
            return ok
        if command[-1] == "uv" and "install" in command:  # pip installs uv
            if not self.uv_wheel:
                return failed
            (bootstrap.scripts(self.venv) / "uv").touch()
            return ok
        if command[1:3] == ["pip", "install"] and command[-1] == str(self.pip_wheel):
            (self.venv / "pip-here").touch()
            return ok
        if command[1:3] == ["pip", "install"]:
            return ok if self.uv_installs else failed
        return ok

    def installs(self) -> list[list[str]]:
        """The commands that installed the project."""
        return [c for c in self.commands if c[-2:] == ["-e", ".[workshop]"]]


def on(
    machine: Machine, monkeypatch: pytest.MonkeyPatch, installer: str = "auto"
) -> str:
    monkeypatch.setattr(bootstrap, "_run", machine.run)
    monkeypatch.setattr(bootstrap.shutil, "which", machine.which)
    wheel = machine.pip_wheel if machine.wheel else None
    monkeypatch.setattr(bootstrap, "bundled_pip", lambda: wheel)
    return bootstrap.setup(machine.tmp, Path(".venv"), "workshop", installer)


def assert_uv_installs_into_the_venv(machine: Machine) -> None:
    venv_python = str(bootstrap.interpreter(machine.venv))
    for command in machine.commands:
        if len(command) > 2 and command[1] == "pip":  # uv pip ...
            assert command[command.index("--python") + 1] == venv_python, command
            assert "--compile-bytecode" in command, command  # as pip does
        if len(command) > 2 and command[1] == "venv":  # uv venv
            assert command[command.index("--python") + 1] == sys.executable


def test_a_fresh_machine_gets_uv_from_pypi_and_installs_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No uv anywhere: the environment is made without pip, pip runs from the
    wheel Python ships to fetch uv (pinned), uv installs the packages, then pip."""
    machine = Machine(tmp_path)
    assert on(machine, monkeypatch) == "uv 0.13.9"
    venv_python = str(bootstrap.interpreter(machine.venv))
    assert machine.commands[0] == [
        sys.executable,
        "-m",
        "venv",
        "--without-pip",
        str(machine.venv),
    ]
    get_uv = next(c for c in machine.commands if c[-1] == "uv")
    assert get_uv[:3] == [venv_python, str(machine.pip_wheel / "pip"), "install"]
    assert get_uv[-3:-1] == ["-c", str(tmp_path / "constraints.txt")]  # pinned
    (install,) = machine.installs()
    assert install[1:3] == ["pip", "install"]  # uv's
    assert install[-4:-2] == ["-c", "constraints.txt"]
    assert machine.has_pip()  # for a notebook's %pip, put there by uv
    (seed,) = [c for c in machine.commands if c[-1] == str(machine.pip_wheel)]
    assert seed[1:3] == ["pip", "install"]
    assert_uv_installs_into_the_venv(machine)


def test_without_a_pip_wheel_the_environment_comes_with_pip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = Machine(tmp_path, wheel=False)
    assert on(machine, monkeypatch) == "uv 0.13.9"
    assert machine.commands[0] == [sys.executable, "-m", "venv", str(machine.venv)]
    get_uv = next(c for c in machine.commands if c[-1] == "uv")
    assert get_uv[1:4] == ["-m", "pip", "install"]
    assert machine.has_pip()
    assert_uv_installs_into_the_venv(machine)


def test_a_uv_on_the_path_creates_the_environment_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = Machine(tmp_path, uv_on_path="uv 0.9.2\n")
    assert on(machine, monkeypatch) == "uv 0.9.2"
    assert machine.commands[1][:3] == [str(machine.path_uv), "venv", "--quiet"]
    assert "--seed" in machine.commands[1]  # pip is there for a notebook's %pip
    assert not any("install" in c and "-m" in c for c in machine.commands)
    assert_uv_installs_into_the_venv(machine)


@pytest.mark.parametrize(
    "says", ["uv 0.4.30\n", "pyenv: uv: command not found\n"], ids=["old", "broken"]
)
def test_an_old_or_broken_uv_on_the_path_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, says: str
) -> None:
    machine = Machine(tmp_path, uv_on_path=says)
    assert on(machine, monkeypatch) == "uv 0.13.9"  # the one pip installed
    assert not any(
        c[0] == str(machine.path_uv) and len(c) > 2 for c in machine.commands
    )


def test_without_a_uv_wheel_pip_installs_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    machine = Machine(tmp_path, uv_wheel=False)
    assert on(machine, monkeypatch) == "pip"
    (install,) = machine.installs()
    assert install[1:4] == ["-m", "pip", "install"]
    assert install[-4:-2] == ["-c", "constraints.txt"]
    assert "pip installs the packages instead" in capsys.readouterr().out


def test_when_uv_fails_pip_tries_with_the_same_pins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    machine = Machine(tmp_path, uv_installs=False)
    assert on(machine, monkeypatch) == "pip"
    uv, pip = machine.installs()
    assert uv[1:3] == ["pip", "install"] and pip[1:4] == ["-m", "pip", "install"]
    assert uv[-4:] == pip[-4:] == ["-c", "constraints.txt", "-e", ".[workshop]"]
    out = capsys.readouterr().out
    assert "uv could not install the packages:\nno luck\nTrying pip instead." in out


def test_installer_pip_never_runs_uv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = Machine(tmp_path, uv_on_path=UV_OK)
    assert on(machine, monkeypatch, installer="pip") == "pip"
    assert not any("uv" in Path(c[0]).name or c[-1] == "uv" for c in machine.commands)


def test_installer_uv_fails_rather_than_fall_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(bootstrap.SetupError, match="INSTALLER=uv"):
        on(Machine(tmp_path, uv_installs=False), monkeypatch, installer="uv")


def test_an_active_environment_never_chooses_where_packages_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VIRTUAL_ENV", "/somewhere/else")
    monkeypatch.setenv("UV_SYSTEM_PYTHON", "1")
    env = bootstrap._environment()
    assert "VIRTUAL_ENV" not in env and "UV_SYSTEM_PYTHON" not in env


def _uv() -> str:
    """The uv of this environment (the dev set pins it), else the PATH's."""
    here = Path(sys.executable).with_name("uv")
    found = str(here) if here.exists() else shutil.which("uv")
    if found is None:
        pytest.fail("no uv: the dev set installs it (make test)")
    return found


def test_a_real_setup_with_uv_leaves_the_machine_s_python_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tiny project set up for real: uv makes the environment (with pip) and
    installs into it; the interpreter that ran the setup does not see the package."""
    project = tmp_path / "tiny"
    (project / "tiny").mkdir(parents=True)
    (project / "tiny" / "__init__.py").write_text("WHERE = 'tiny'\n")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "tiny"\nversion = "1"\n'
        "[project.optional-dependencies]\nextra = []\n"
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )
    (project / "constraints.txt").write_text("")
    monkeypatch.setenv(
        "PATH", os.pathsep.join([str(Path(_uv()).parent), os.environ["PATH"]])
    )
    used = bootstrap.setup(project, Path(".venv"), "extra")
    assert used.startswith("uv ")
    python = bootstrap.interpreter(project / ".venv")
    here = subprocess.run(
        [str(python), "-c", "import tiny, pip; print(tiny.WHERE)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert here.stdout == "tiny\n"
    outside = subprocess.run(
        [sys.executable, "-I", "-c", "import tiny"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert "ModuleNotFoundError: No module named 'tiny'" in outside.stderr


def _uv_resolves(root: Path) -> dict[str, str]:
    """What uv resolves for this interpreter from pyproject.toml and the pins,
    without installing anything (offline first: `make setup` filled the cache)."""
    command = [
        _uv(),
        "pip",
        "compile",
        "--quiet",
        "--no-header",
        "--no-annotate",
        "--python",
        sys.executable,
        "-c",
        "constraints.txt",
        "pyproject.toml",
        "--extra",
        "workshop",
        "--extra",
        "dev",
    ]
    done = subprocess.run(
        [*command, "--offline"], cwd=root, capture_output=True, text=True
    )
    if done.returncode != 0:
        done = subprocess.run(
            command, cwd=root, capture_output=True, text=True, check=True
        )
    found = {}
    for line in done.stdout.splitlines():
        name, _, version = line.partition("==")
        found[canonicalize_name(name)] = version.strip()
    return found


def test_uv_and_pip_resolve_the_versions_this_environment_holds(
    root: Path, tmp_path: Path
) -> None:
    """The three agree, both ways: uv's resolution, what is installed here (by uv
    or by pip, whichever `make setup` used), and pip's resolution, which finds
    nothing to change. None of them installs anything."""
    resolved = _uv_resolves(root)
    assert resolved, "uv resolved nothing"
    pinned = pins.pinned(root)
    assert {name: pinned.get(name) for name in resolved} == resolved

    needed = pins.closure(root, (pins.RUNTIME, pins.ATTENDEE, pins.DEV), here_only=True)
    assert set(resolved) == needed  # nothing missing, nothing extra
    installed = {name: metadata.version(name) for name in needed}
    assert installed == resolved

    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "".join(f"{r}\n" for reqs in pins.declared(root).values() for r in reqs)
    )
    pip = [sys.executable, "-m", "pip", "--isolated", "install", "--quiet"]
    report = tmp_path / "report.json"
    subprocess.run(
        [
            *pip,
            "--disable-pip-version-check",
            "--dry-run",
            "--report",
            str(report),
            "-c",
            str(root / "constraints.txt"),
            "-r",
            str(requirements),
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )
    changes = json.loads(report.read_text())["install"]
    assert [(c["metadata"]["name"], c["metadata"]["version"]) for c in changes] == []


@pytest.mark.parametrize("module", ["fastapi", "sqlalchemy", "ipykernel", "hypothesis"])
def test_the_environment_make_setup_installed_is_compiled(module: str) -> None:
    """Every interpreter of the suite reads these .pyc files; one that may not write
    them (PYTHONDONTWRITEBYTECODE) would otherwise compile the module each time."""
    source = importlib.util.find_spec(module)
    assert source is not None and source.origin is not None
    compiled = Path(importlib.util.cache_from_source(source.origin))
    assert compiled.is_file(), f"{compiled}: make setup did not compile {module}"


@pytest.mark.parametrize("installer", ["auto", "pip"])
def test_pytest_starts_once_after_the_packages_are_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installer: str
) -> None:
    """With uv or with pip: once the project is installed, its pytest starts."""
    machine = Machine(tmp_path)
    on(machine, monkeypatch, installer)
    venv_python = str(bootstrap.interpreter(machine.venv))
    starts = [
        i
        for i, c in enumerate(machine.commands)
        if c[:3] == [venv_python, "-m", "pytest"]
    ]
    install = machine.commands.index(machine.installs()[-1])
    assert len(starts) == 1 and starts[0] > install, machine.commands


def test_pytest_finds_its_plugins_rewritten() -> None:
    """pytest rewrites the asserts of its plugins' modules at each start unless it
    finds its own .pyc for them; make setup's first start left them there."""
    from _pytest.assertion.rewrite import PYC_TAIL

    source = importlib.util.find_spec("_hypothesis_pytestplugin")
    assert source is not None and source.origin is not None
    origin = Path(source.origin)
    rewritten = origin.parent / "__pycache__" / (origin.name[:-3] + PYC_TAIL)
    assert rewritten.is_file(), f"{rewritten}: pytest never started after setup"
