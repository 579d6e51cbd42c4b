"""Grades kept under `.workshop/grades/`, so a lookup does not grade the class again.

A lesson's grade (each exercise's outcome, and the problems and flags its job
gave) follows from what the grader read of the attendee's notebook for that
lesson (each answer, and the files composed from them), the lesson's files as
the solutions leave them, the checks' and the grader's code, Python and the
installed packages, the isolation, the course and the options. `state` hashes
all but the submission, once per run; `key` adds the submission's part. Two
submissions with the same answers share one key, so a duplicate is graded once.

One file per key, written by the grader only, in the instructor's checkout
(or the folder `$WORKSHOP_GRADES` names): with bubblewrap no job can reach it. Nothing in an entry is trusted: its shape
is checked when it is read, and anything else (a damaged file, another
version's) is a miss, graded again and written anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import workshop
from workshop.grading.rows import Outcome, State
from workshop.grading.verdicts import Judged

FOLDER = Path(".workshop") / "grades"
ELSEWHERE = "WORKSHOP_GRADES"  # an environment variable: keep them in that folder
FORMAT = "1"
MAX_ENTRY_BYTES = 16 * 2**20  # an entry larger than this is not one the grader wrote


def _hash(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))  # no two lists hash alike
        digest.update(data)
    return digest.hexdigest()


def _sources(folder: Path, pattern: str, skip: str = "") -> Iterable[str | bytes]:
    for path in sorted(folder.rglob(pattern)):
        relative = path.relative_to(folder).as_posix()
        if skip and relative.startswith(skip):
            continue
        yield relative
        yield path.read_bytes()


def state(root: Path, settings: dict[str, Any]) -> str:
    """What every grade of this run depends on besides the submission: the
    workshop package (checks, grader, authoring), the solutions, Python and the
    installed packages, and `settings` (isolation, course, options)."""
    package = Path(workshop.__file__).resolve().parent
    installed = sorted(
        f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()
    )
    return _hash(
        [
            FORMAT,
            sys.version,
            "\n".join(installed),
            json.dumps(settings, sort_keys=True, default=str),
            *_sources(package, "*.py", skip="tests/"),
            *_sources(root / "solutions", "*.ipynb"),
        ]
    )


def key(state: str, lesson: int, graded: dict[str, Any]) -> str:
    """One lesson of one submission: `graded` is everything the grader read of
    it (answers, composed files, deleted files, syntax errors, exercises run)."""
    return _hash([state, str(lesson), json.dumps(graded, sort_keys=True)])


def _outcome(data: Any) -> Outcome:
    """An outcome from an entry, or ValueError when it is not one."""
    if not isinstance(data, dict) or set(data) != {
        "state",
        "detail",
        "steps",
        "messages",
    }:
        raise ValueError("not an outcome")
    steps, messages = data["steps"], data["messages"]
    if not (
        isinstance(data["detail"], str)
        and isinstance(steps, list)
        and len(steps) == 2
        and all(type(n) is int and n >= 0 for n in steps)
        and isinstance(messages, list)
        and all(isinstance(m, str) for m in messages)
    ):
        raise ValueError("not an outcome")
    return Outcome(
        State(data["state"]), data["detail"], (steps[0], steps[1]), tuple(messages)
    )


def _strings(data: Any) -> list[str]:
    if not isinstance(data, list) or not all(isinstance(s, str) for s in data):
        raise ValueError("not a list of strings")
    return data


class Cache:
    """The grades kept in `folder`; `read=False` grades afresh (and keeps again)."""

    def __init__(self, root: Path, *, read: bool = True) -> None:
        elsewhere = os.environ.get(ELSEWHERE)
        self.folder = Path(elsewhere) if elsewhere else root / FOLDER
        self.read = read

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Judged | None:
        """The grade kept under `key`, or None (none kept, or not in shape)."""
        if not self.read:
            return None
        try:
            path = self._path(key)
            if path.is_symlink() or path.stat().st_size > MAX_ENTRY_BYTES:
                return None
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("key") != key:
                return None
            outcomes = data["outcomes"]
            if not isinstance(outcomes, dict):
                return None
            return Judged(
                {str(e): _outcome(o) for e, o in outcomes.items()},
                _strings(data["problems"]),
                _strings(data["flags"]),
            )
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None

    def put(self, key: str, judged: Judged) -> None:
        """Keep `judged` under `key` (written whole, then renamed into place);
        a checkout that cannot be written to only means grading again."""
        data = {
            "key": key,
            "outcomes": {
                e: {
                    "state": o.state.value,
                    "detail": o.detail,
                    "steps": list(o.steps),
                    "messages": list(o.messages),
                }
                for e, o in judged.outcomes.items()
            },
            "problems": judged.problems,
            "flags": judged.flags,
        }
        path = self._path(key)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(data, out, ensure_ascii=False)
                os.replace(temporary, path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)
