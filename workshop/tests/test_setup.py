"""One set of pins, used everywhere: pyproject, constraints.txt, Binder, make."""

import ast
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

from workshop import bootstrap
from workshop.pins import pinned

ROOT = Path(__file__).resolve().parents[2]


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    return [Requirement(r) for r in project["dependencies"] + extras]


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    pins = pinned(ROOT)
    for requirement in declared():
        assert requirement.name.lower() in pins, requirement.name
        assert pins[requirement.name.lower()] in requirement.specifier, requirement


def test_binder_uses_the_same_pins_and_an_editable_install() -> None:
    """.binder/ holds Python only; its postBuild, run from the repository's root,
    installs what `make setup` does (test_binder runs both for real)."""
    env = yaml.safe_load((ROOT / ".binder" / "environment.yml").read_text())
    assert env["dependencies"] == ["python=3.11", "pip"]  # constraints.txt's Python
    post_build = (ROOT / ".binder" / "postBuild").read_text()
    assert post_build.startswith("#!/bin/bash\n") and "set -euo pipefail" in post_build
    assert '-c constraints.txt -e ".[workshop]"' in post_build
    assert (ROOT / ".binder" / "postBuild").stat().st_mode & 0o111


def test_the_root_environment_file_is_for_conda_users_with_the_same_pins() -> None:
    """conda resolves the pip section from the file's folder: the root."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if str(d).startswith("python="))
    assert python == "python=3.11"  # the version constraints.txt was compiled for
    pip = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert pip == ["-c constraints.txt", "-e .[workshop]"]
    assert not (ROOT / "binder").exists()  # two Binder folders: only one is read


def test_make_installs_from_the_same_pins() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "$(PYTHON) -m workshop.bootstrap $(VENV)" in makefile
    assert bootstrap.CONSTRAINTS == "constraints.txt"
    assert re.search(r"^test:", makefile, re.MULTILINE)


def test_the_bootstrap_needs_only_the_standard_library() -> None:
    """It runs with the machine's Python, before anything is installed."""
    tree = ast.parse((ROOT / "workshop" / "bootstrap.py").read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported <= sys.stdlib_module_names | {"__future__"}, imported


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "```bash\nmake test\n```" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_the_binder_badge_opens_lab_at_notebook_00() -> None:
    readme = (ROOT / "README.md").read_text()
    target = re.search(r"mybinder\.org/v2/gh/[^)]*urlpath=lab/tree/([^)\s]+)", readme)
    assert target, "no Binder badge with urlpath=lab/tree/..."
    assert target.group(1) == "notebooks/00-welcome.ipynb"
    assert (ROOT / target.group(1)).is_file()


def test_make_lab_serves_the_repository_root_with_notebook_00_open() -> None:
    """solutions/ must be reachable from Lab's file browser: hints point there."""
    recipe = subprocess.run(
        ["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.replace("\\\n", " ")
    command = shlex.split(next(ln for ln in recipe.splitlines() if "jupyter lab" in ln))
    assert "--ServerApp.root_dir=." in command
    assert command[-1] == "notebooks/00-welcome.ipynb"
