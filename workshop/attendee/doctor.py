"""`workshop doctor`: is this laptop ready for the workshop? Says what to fix."""

from __future__ import annotations

import importlib.metadata as metadata
import os
import socket
import sys
from pathlib import Path

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
        pins, names = pinned(root), installed_set(ATTENDEE)
    except metadata.PackageNotFoundError:
        pins, names = {}, []
        found.append((False, f"the workshop is not installed: {SETUP}"))
    wrong = []
    for name in names:
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            have = "missing"
        if name in pins and have != pins[name]:
            wrong.append(f"{name} {have} (want {pins[name]})")
    found.append(
        (
            not wrong,
            f"{len(names)} packages at the pinned versions"
            + (f", installed by {by}" if (by := installer()) else "")
            if not wrong
            else f"packages not at the pinned versions: {', '.join(wrong)}; {SETUP}",
        )
    )
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
