"""Helpers for the notebooks: `%load_ext workshop` and the functions cells call.

`%%save_file PATH` writes the cell's body to a managed file and says what changed
(`%%save_file PATH --definitions` writes the body's definitions into the file);
`%delete_file PATH` deletes one (workshop.attendee.saving). The functions are the
notebook face of the other attendee modules: `start` (are the files where this
lesson starts?), `check`, `checkpoint`, `run_tests`, `fresh_client`, `show`,
`doctor`, `show_course` (workshop.course), and `join`/`leave` for the room's
board (workshop.attendee.room).
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

from workshop import databases, disk
from workshop.attendee import feedback, progress, room, saving, testrun
from workshop.attendee.catchup import catch_up
from workshop.attendee.report import NOTEBOOK, answer_in, report
from workshop.authoring.definitions import FLAG
from workshop.authoring.fold import parse_lesson
from workshop.authoring.notebooks import DELETE, SAVE
from workshop.child import forget_app_modules
from workshop.project import WorkshopError, find_root

_client: Any = None
_database: str | None = None  # the fresh database of `_client`, deleted with it


def root() -> Path:
    return find_root()


def save_file(path: str, body: str, definitions: bool = False) -> str:
    """Write a managed file, the way the workshop's fold writes it."""
    return saving.save_file(root(), path, body, definitions)


def delete_file(path: str) -> str:
    """Delete a managed file (a version you changed is backed up first)."""
    return saving.delete_file(root(), path)


def fresh_client(*, tracing: Any = None, **settings: Any):
    """A TestClient for a newly imported app; the lifespan runs, like a real server.
    `tracing`, a TracerProvider, is passed to create_app (lesson 10 on)."""
    global _client, _database
    from fastapi.testclient import TestClient

    if _client is not None:
        _client.__exit__(None, None, None)
        _client = None
    given = settings.get("database_url")
    given = given.get_secret_value() if hasattr(given, "get_secret_value") else given
    if _database is not None and _database != given:  # a restart on it keeps it
        databases.forget(_database)
        _database = None
    forget_app_modules()
    from app.config import Settings
    from app.main import create_app

    if given is None:
        url = databases.fresh_database_url(root())
        if url is not None:  # from lesson 05 on: a database of its own, at head
            settings["database_url"] = _database = url
    if tracing is not None:
        app = create_app(Settings(**settings), tracing=tracing)
    else:
        app = create_app(Settings(**settings)) if settings else create_app()
    # A bug in the attendee's code answers 500, as a real server would, and the
    # notebook goes on to the next cell.
    client = TestClient(app, raise_server_exceptions=False)
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
        return
    with contextlib.suppress(Exception):  # the board is a bonus, never a failure
        room.send(here, result)  # in the background: this returns at once


def join(url: str, code: str, name: str) -> None:
    """Join the room's board with the code your instructor gives and your name:
    each check then also sends its result (never your code) to the board."""
    try:
        print(room.join(root(), url, code, name))
    except WorkshopError as error:
        print(error)


def leave() -> None:
    """Leave the room's board: checks stop sending their results."""
    try:
        print(room.leave(root()))
    except WorkshopError as error:
        print(error)


def show_course() -> None:
    """The lessons of your course and their times: the room's when you joined its
    board, or the one `workshop course` keeps; all of them otherwise."""
    from workshop.course import outline

    try:
        print(outline(root()))
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


def start(lesson: str | int) -> None:
    """Say whether the files are where `lesson` starts, and how to catch up."""
    try:
        print(progress.where(root(), parse_lesson(str(lesson))))
    except WorkshopError as error:
        print(error)


def run_tests(*paths: str) -> None:
    """Run the service's tests (default: all of tests/); list the failures."""
    print(testrun.run_tests(root(), *paths))


def doctor() -> None:
    """Is this machine ready for the workshop? Each ✗ line says what to fix."""
    from workshop.attendee.doctor import report as findings

    print(findings(root())[1])


def load_ipython_extension(ipython: Any) -> None:
    here = root()
    sys.dont_write_bytecode = True
    if str(here) not in sys.path[:1]:
        sys.path.insert(0, str(here))

    def save_magic(line: str, cell: str) -> None:
        path, _, flag = line.strip().partition(" ")
        if flag.strip() not in ("", FLAG):
            print(f"Not saved: {flag.strip()!r} is not an option (only {FLAG}).")
            return
        print(save_file(path, cell, definitions=bool(flag.strip())))

    def delete_magic(line: str) -> None:
        print(delete_file(line.strip()))

    ipython.register_magic_function(save_magic, "cell", SAVE)
    ipython.register_magic_function(delete_magic, "line", DELETE)
    # The calls the room's board and the instructor project, ready in every
    # lesson whatever its setup cell imports: `join("URL", "CODE", "name")`.
    from workshop.handin import submit

    ipython.push({"join": join, "leave": leave, "submit": submit})
