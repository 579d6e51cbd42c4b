"""Outcomes kept under `.workshop/mutants/`, one file per exercise.

An exercise's outcomes stay good while nothing they depend on changes: the
files as its lesson leaves them (its region among them), the source of its
check's module and of what every check uses, the pinned packages and Python.
That is the exercise's `state`; each mutant's outcome is then kept by the hash
of its region's code. Editing a reason in an allow-list changes none of it.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import sys
from pathlib import Path

import workshop
from workshop.authoring.mutation.run import Outcome
from workshop.checking import all_exercises

FOLDER = Path(".workshop") / "mutants"
FORMAT = "1"
# What every check's outcome depends on, besides its own module.
SUPPORT = (
    "checking.py",
    "answers.py",
    "databases.py",
    "syntax.py",
    "child.py",
    "exercises/chance.py",
)


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def state(root: Path, exercise: str, files: dict[str, str]) -> str:
    """What the exercise's outcomes depend on, as one hash; `files` are the
    files as its lesson leaves them."""
    package = Path(workshop.__file__).parent
    check = inspect.getsourcefile(all_exercises()[exercise].function) or ""
    sources = [Path(check), *(package / name for name in SUPPORT)]
    pins = root / "constraints.txt"
    return _hash(
        FORMAT,
        exercise,
        sys.version,
        pins.read_text(encoding="utf-8") if pins.is_file() else "",
        *(path.read_text(encoding="utf-8") for path in sources),
        *(f"{path}\0{text}" for path, text in sorted(files.items())),
    )


SOLUTION = "solution"  # the key of the check's outcome on the solution itself


def key(region: str) -> str:
    """A mutant's key: the hash of its region's code."""
    return _hash(region)


class Cache:
    """The outcomes of one exercise in one state."""

    def __init__(self, root: Path, exercise: str, state: str, *, read: bool) -> None:
        self.path = root / FOLDER / f"{exercise}.json"
        self.state = state
        self.outcomes: dict[str, Outcome] = {}
        if not read:  # checked afresh, then kept again
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("state") == state:
                self.outcomes = {
                    k: Outcome(bool(v["passed"]), str(v["how"]))
                    for k, v in data["outcomes"].items()
                }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass  # no cache yet, or one from another version: start afresh

    def save(self) -> None:
        data = {
            "state": self.state,
            "outcomes": {
                k: {"passed": v.passed, "how": v.how}
                for k, v in sorted(self.outcomes.items())
                if v.decided  # a job that gave no verdict is checked again
            },
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        except OSError:
            pass  # a read-only checkout: the next run checks again
