"""Helpers for the notebooks: `%load_ext workshop` and the functions cells call."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

from workshop import checking
from workshop.attendee import catchup
from workshop.authoring.fold import parse_lesson
from workshop.authoring.notebooks import MAGIC, file_text
from workshop.project import WorkshopError, find_root, is_managed

_client: Any = None


def root() -> Path:
    return find_root()


def forget_app_modules() -> None:
    """Drop `app` (and the app's tests) from the import cache, so the next import
    reads the files as they are now."""
    for name in list(sys.modules):
        if name.split(".")[0] in {"app", "tests"}:
            del sys.modules[name]
    importlib.invalidate_caches()


def save_file(path: str, body: str) -> str:
    """Write a managed file, the way the workshop's fold writes it."""
    if not is_managed(path):
        return (
            f"Not saved: {path} is not a workshop file. Cells save under app/, "
            "tests/ or alembic/, or to the deployment files."
        )
    target = root() / path
    target.parent.mkdir(parents=True, exist_ok=True)
    text = file_text(body)
    target.write_text(text, encoding="utf-8")
    for stale in target.parent.glob(f"__pycache__/{target.stem}.*.pyc"):
        stale.unlink()  # an old .pyc with the same size and second would win
    forget_app_modules()
    lines = text.count("\n")
    return f"Saved {path} ({lines} line{'s' if lines != 1 else ''})"


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


def check(exercise_id: str) -> None:
    """Check an exercise against the files on disk and say what is left to do."""
    try:
        print(checking.report(checking.run(root(), exercise_id)))
    except WorkshopError as error:
        print(error)


def checkpoint(lesson: str | int) -> None:
    """Restore the files for the start of a lesson, backing up yours first."""
    try:
        here = root()
        print(
            catchup.describe(catchup.checkpoint(here, parse_lesson(str(lesson))), here)
        )
    except WorkshopError as error:
        print(error)
    forget_app_modules()


def load_ipython_extension(ipython: Any) -> None:
    here = root()
    sys.dont_write_bytecode = True
    if str(here) not in sys.path[:1]:
        sys.path.insert(0, str(here))

    def magic(line: str, cell: str) -> None:
        print(save_file(line.strip(), cell))

    ipython.register_magic_function(magic, "cell", MAGIC)
