"""Helpers for the notebooks: `%load_ext workshop` and the functions cells call.

`%%save_file PATH` writes the cell's body to a managed file; `%delete_file PATH`
deletes one (a lesson that moves a module deletes its old home). Both make the
next import read the files as they are now, without a kernel restart.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from workshop import disk
from workshop.attendee import feedback
from workshop.attendee.catchup import catch_up
from workshop.attendee.report import NOTEBOOK, answer_in, report
from workshop.authoring.fold import parse_lesson, texts_before_deleting
from workshop.authoring.notebooks import DELETE, SAVE, file_text
from workshop.child import forget_app_modules
from workshop.project import WorkshopError, find_root, is_managed

_client: Any = None


def root() -> Path:
    return find_root()


def _refuse(path: str, done: str, do: str) -> str:
    return (
        f"Not {done}: {path} is not a workshop file. Cells {do} files under app/, "
        "tests/ or alembic/, or the deployment files."
    )


def _drop_bytecode(target: Path) -> None:
    """An old .pyc with the same size and second as a new file would win."""
    for stale in target.parent.glob(f"__pycache__/{target.stem}.*.pyc"):
        stale.unlink()


def save_file(path: str, body: str) -> str:
    """Write a managed file, the way the workshop's fold writes it."""
    if not is_managed(path):
        return _refuse(path, "saved", "save")
    target = root() / path
    target.parent.mkdir(parents=True, exist_ok=True)
    text = file_text(body)
    target.write_text(text, encoding="utf-8")
    _drop_bytecode(target)
    forget_app_modules()
    lines = text.count("\n")
    return f"Saved {path} ({lines} line{'s' if lines != 1 else ''})"


def delete_file(path: str) -> str:
    """Delete a managed file, first backing it up unless it is exactly what the
    lessons wrote there. The line it returns is the same whether or not the file
    was there, so a second run of the notebook says the same."""
    if not is_managed(path):
        return _refuse(path, "deleted", "delete")
    here = root()
    target = here / path
    if target.is_file():
        text = target.read_bytes()
        if text not in {t.encode() for t in texts_before_deleting(here, path)}:
            disk.back_up(here, [path], "before-delete")
        target.unlink()
    _drop_bytecode(target)
    forget_app_modules()
    return f"Deleted {path} (a version you had changed is kept in .workshop/backups/)"


def fresh_client(**settings: Any):
    """A TestClient for a newly imported app; the lifespan runs, like a real server."""
    global _client
    from fastapi.testclient import TestClient

    if _client is not None:
        _client.__exit__(None, None, None)
        _client = None
    forget_app_modules()
    from app.config import Settings
    from app.main import create_app

    client = TestClient(create_app(Settings(**settings)) if settings else create_app())
    _client = client.__enter__()
    return _client


def show(response: Any, *headers: str) -> None:
    """Print a response as a reader wants it: status, chosen headers, pretty body."""
    print(response.status_code, response.reason_phrase)
    for name in headers:
        print(f"{name}: {response.headers.get(name)}")
    try:
        print(json.dumps(response.json(), indent=2, ensure_ascii=False))
    except ValueError:
        print(response.text)


def check(exercise_id: str, hint: int = 1) -> None:
    """Check an exercise against the files on disk and say what is left to do;
    on a failure, hint number `hint` (1: a nudge, 2: closer)."""
    try:
        here = root()
        result = feedback.check_in_child(here, exercise_id)
        answer = answer_in(here, exercise_id)
        print(report(result, hint=hint, ask=NOTEBOOK, answer=answer))
    except WorkshopError as error:
        print(error)


def checkpoint(lesson: str | int) -> None:
    """Restore the files for the start of a lesson, backing up yours first."""
    try:
        here = root()
        print(disk.report(catch_up(here, parse_lesson(str(lesson))), here))
    except WorkshopError as error:
        print(error)
    forget_app_modules()


def load_ipython_extension(ipython: Any) -> None:
    here = root()
    sys.dont_write_bytecode = True
    if str(here) not in sys.path[:1]:
        sys.path.insert(0, str(here))

    def save_magic(line: str, cell: str) -> None:
        print(save_file(line.strip(), cell))

    def delete_magic(line: str) -> None:
        print(delete_file(line.strip()))

    ipython.register_magic_function(save_magic, "cell", SAVE)
    ipython.register_magic_function(delete_magic, "line", DELETE)
