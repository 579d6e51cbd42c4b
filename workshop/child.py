"""Running a child interpreter: what it inherits, what it leaves, what it forgets.

Checks, grading and notebook runs all start a Python of their own. Each gets this
process's environment without the service's settings (`APP_*`: the check or the
notebook chooses those), and the caller reads only the last line of its log.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

SETTINGS_PREFIX = "APP_"  # what app.config reads from the environment
TAIL_BYTES = 2000


def environment(*, no_bytecode: bool = False, **overrides: str) -> dict[str, str]:
    """A child's environment: this one without `APP_*`, plus `overrides`.

    `no_bytecode` stops the child writing `.pyc` files (checks and grading read
    files that change between runs; notebook runs keep the machine's default).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_PREFIX)}
    if no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(overrides)
    return env


def last_line(log: Path) -> str:
    """The last line a child wrote to `log` (reading only its end), or "no output"."""
    size = log.stat().st_size if log.exists() else 0
    lines: list[str] = []
    if size:
        with log.open("rb") as output:
            output.seek(max(0, size - TAIL_BYTES))
            lines = output.read().decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else "no output"


def forget_app_modules() -> None:
    """Drop `app` (and the app's tests) from the import cache, so the next import
    reads the files as they are now."""
    for name in list(sys.modules):
        if name.split(".")[0] in {"app", "tests"}:
            del sys.modules[name]
    importlib.invalidate_caches()
