"""The project's package sets, and the one file that pins them all.

pyproject.toml declares three sets:

- the service's runtime (`dependencies`): what a deployment of `app/` installs;
- `workshop`: what an attendee adds (JupyterLab, the kernel, the notebook tools,
  pytest and httpx2, which the notebooks run);
- `dev`: what the tests and CI add.

constraints.txt pins every package any of them needs, on every platform (the
README's "Derived files" says how to regenerate it). `make`, Binder and
`workshop doctor` install or check from it, and `requirements` derives a
runtime-only list (for a Docker image) from it.
"""

from __future__ import annotations

import importlib.metadata as metadata
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = "fastapi-in-production"
RUNTIME, ATTENDEE, DEV = "runtime", "workshop", "dev"
# Where a package's requirements are followed: a universal list keeps the ones
# another platform needs (colorama on Windows, uvloop off it).
PLATFORMS = [
    {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
    {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
]


def constraints(root: Path) -> dict[str, Requirement]:
    """Every pin of constraints.txt, markers included, by its line."""
    lines = (root / "constraints.txt").read_text(encoding="utf-8").splitlines()
    texts = [line.split("#", 1)[0].strip() for line in lines]
    return {text: Requirement(text) for text in texts if text}


def pinned(root: Path) -> dict[str, str]:
    """Exact versions from constraints.txt that apply to this platform."""
    pins, env = {}, default_environment()
    for req in constraints(root).values():
        if req.marker is None or req.marker.evaluate(env):
            pins[req.name.lower()] = str(req.specifier).removeprefix("==")
    return pins


def declared(root: Path) -> dict[str, list[Requirement]]:
    """Each set's requirements as pyproject.toml declares them, by set name."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    sets = {RUNTIME: project["dependencies"], **project["optional-dependencies"]}
    return {name: [Requirement(r) for r in reqs] for name, reqs in sets.items()}


def _applies(req: Requirement, extras: set[str], platforms: list[dict]) -> bool:
    if req.marker is None:
        return True
    base = default_environment()
    return any(
        req.marker.evaluate({**base, **platform, "extra": extra})
        for platform in platforms
        for extra in extras or {""}
    )


def installed_set(*sets: str) -> list[str]:
    """The installed project's direct requirements for the runtime and `sets`
    (on this platform), by name."""
    requires = [Requirement(r) for r in metadata.requires(PROJECT) or []]
    extras = {s for s in sets if s != RUNTIME}
    here = [{}]  # this platform only
    return sorted(
        {canonicalize_name(r.name) for r in requires if _applies(r, extras, here)}
    )


def closure(
    root: Path, sets: tuple[str, ...] = (RUNTIME,), *, here_only: bool = False
) -> set[str]:
    """Every package the `sets` need, directly or not, on any platform (or, with
    `here_only`, on this one), found through the installed packages' metadata (a
    package not installed here, such as a Windows-only one, is listed without its
    own requirements)."""
    platforms = [{}] if here_only else PLATFORMS
    chosen = declared(root)
    todo = [req for name in sets for req in chosen[name]]
    seen: set[tuple[str, frozenset[str]]] = set()  # a package with extras is another
    while todo:
        req = todo.pop()
        name, extras = canonicalize_name(req.name), frozenset(req.extras)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            requires = [Requirement(r) for r in metadata.requires(name) or []]
        except metadata.PackageNotFoundError:
            continue
        todo += [r for r in requires if _applies(r, set(extras), platforms)]
    return {name for name, _ in seen}


def requirements(root: Path, sets: tuple[str, ...] = (RUNTIME,)) -> str:
    """The lines of constraints.txt that the `sets` need: a pinned requirements
    file (the runtime set's, by default, for a Docker image)."""
    needed = closure(root, sets)
    pins = constraints(root).items()
    return "".join(
        f"{line}\n" for line, req in pins if canonicalize_name(req.name) in needed
    )
