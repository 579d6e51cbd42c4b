"""`workshop doctor`: is this laptop ready for the workshop? Says what to fix."""

from __future__ import annotations

import importlib.metadata as metadata
import os
import socket
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import workshop
from workshop.pins import ATTENDEE, PROJECT, installed_set, pinned

SETUP = (
    "run `make setup` (or `pip install -c constraints.txt -e '.[workshop]'`) in the "
    "workshop folder"
)


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def installer() -> str:
    """What installed the workshop ("uv", "pip"), from the record an installer
    leaves beside each package it installs (its INSTALLER file); "" if nothing."""
    try:
        text = metadata.distribution(PROJECT).read_text("INSTALLER")
    except metadata.PackageNotFoundError:
        return ""
    return (text or "").strip() or "an installer that left no record"


def installed_versions() -> dict[str, str]:
    """Every distribution in this environment, by its normalised name."""
    versions: dict[str, str] = {}
    for dist in metadata.distributions():
        versions.setdefault(canonicalize_name(dist.metadata["Name"]), dist.version)
    return versions


def unmet_requirements(versions: dict[str, str]) -> list[str]:
    """What `pip check` reports: a package whose own requirements the installed
    versions do not meet. Done here, since an environment made by uv has no pip."""
    unmet = []
    for dist in metadata.distributions():
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            have = versions.get(canonicalize_name(req.name))
            if have is None or not req.specifier.contains(have, prereleases=True):
                unmet.append(
                    f"{dist.metadata['Name']} needs {req.name}{req.specifier}, "
                    f"found {have or 'none'}"
                )
    return sorted(set(unmet))


def _packages(
    pins: dict[str, str], versions: dict[str, str], needed: list[str]
) -> list[tuple[bool, str]]:
    """Every installed package at its pin (not only the workshop's own
    requirements: a wrong version of a package they pull in breaks as much),
    nothing the workshop needs missing, and every package's requirements met."""
    pins = {canonicalize_name(name): version for name, version in pins.items()}
    wrong = [
        f"{name} {have} (want {pins[name]})"
        for name, have in sorted(versions.items())
        if name in pins and have != pins[name]
    ]
    wrong += [
        f"{name} missing (want {pins.get(name, 'it')})"
        for name in needed
        if name not in versions
    ]
    checked = sum(name in pins for name in versions)
    by = installer()
    found = [
        (
            not wrong,
            f"{checked} packages at the pinned versions"
            + (f", installed by {by}" if by else "")
            if not wrong
            else f"packages not at the pinned versions: {', '.join(wrong)}; {SETUP}",
        )
    ]
    unmet = unmet_requirements(versions)
    found.append(
        (
            not unmet,
            "every package's own requirements are met"
            if not unmet
            else f"requirements not met: {'; '.join(unmet)}; {SETUP}",
        )
    )
    return found


def findings(root: Path, port: int = 8000) -> list[tuple[bool, str]]:
    found = [
        (
            sys.version_info >= (3, 11),
            f"Python {sys.version.split()[0]}"
            + (
                ""
                if sys.version_info >= (3, 11)
                else ": the workshop needs 3.11 or newer; install it, then " + SETUP
            ),
        )
    ]
    source = Path(workshop.__file__).resolve().parent.parent
    found.append(
        (
            source == root,
            "the workshop package comes from this folder"
            if source == root
            else f"the workshop package comes from {source}, not {root}: {SETUP}",
        )
    )
    try:
        needed = installed_set(ATTENDEE)
    except metadata.PackageNotFoundError:
        needed = []
        found.append((False, f"the workshop is not installed: {SETUP}"))
    found += _packages(pinned(root), installed_versions(), needed)
    for folder in ("app", ".workshop"):
        path = root / folder if (root / folder).exists() else root
        ok = os.access(path, os.W_OK)
        found.append(
            (
                ok,
                f"{folder}/ is writable"
                if ok
                else f"cannot write to {path}: fix its permissions",
            )
        )
    free = _port_free(port)
    found.append(
        (
            free,
            f"port {port} is free for `make run`"
            if free
            else f"port {port} is taken: stop what uses it, or run with PORT=8001",
        )
    )
    return found


def report(root: Path) -> tuple[bool, str]:
    results = findings(root)
    lines = [f"{'✓' if ok else '✗'} {text}" for ok, text in results]
    healthy = all(ok for ok, _ in results)
    lines.append(
        "All good: you are ready."
        if healthy
        else "Fix the ✗ lines above, then run `workshop doctor` again."
    )
    return healthy, "\n".join(lines)
