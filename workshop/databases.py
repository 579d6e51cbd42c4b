"""A fresh database for a notebook's app or a check: SQLite, at the newest migration.

From lesson 05 on, the service needs its tables, and Alembic owns them. Migrating
costs a second or two, so the first call migrates a template under
.workshop/databases/, named after the migrations it ran, and every call copies it
to a new file: a second Run All never meets the rows of the first one.

The copies live in one folder per process under .workshop/databases/, removed
when the process (a check, a kernel, a test run) exits; `forget` deletes one
sooner, when the app that used it is closed. A process that could not clean up
(a kernel stopped with SIGKILL) leaves its folder to the next one, which deletes
the folders of processes that are gone.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

TEMPLATES = Path(".workshop") / "databases"
SQLITE = "sqlite+aiosqlite:///"

_folder: Path | None = None


def fresh_database_url(root: Path) -> str | None:
    """A new database at head, or None before the lesson that brings Alembic."""
    if not (root / "alembic.ini").is_file():
        return None
    handle, path = tempfile.mkstemp(prefix="workshop-", suffix=".db", dir=_copies(root))
    os.close(handle)
    shutil.copyfile(migrated_template(root), path)
    return sqlite_url(Path(path))


def forget(url: str) -> None:
    """Delete a database `fresh_database_url` made (with SQLite's side files)."""
    if _folder is None or not url.startswith(SQLITE):
        return
    path = Path(url.removeprefix(SQLITE))
    if path.parent != _folder:
        return  # not one of ours: never delete a database given by someone else
    for leftover in (
        path,
        *(Path(f"{path}{end}") for end in ("-wal", "-shm", "-journal")),
    ):
        leftover.unlink(missing_ok=True)


def _copies(root: Path) -> Path:
    """This process's folder of fresh databases, removed when the process exits."""
    global _folder
    if _folder is None or not _folder.is_dir():
        parent = root / TEMPLATES
        parent.mkdir(parents=True, exist_ok=True)
        sweep(parent)
        _folder = Path(tempfile.mkdtemp(prefix=f"copies-{os.getpid()}-", dir=parent))
        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    return _folder


def sweep(parent: Path) -> None:
    """Delete the folders of copies whose process is gone."""
    for folder in parent.glob("copies-*-*"):
        owner = folder.name.split("-")[1]
        if owner.isdigit() and not _running(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def sqlite_url(path: Path) -> str:
    return f"{SQLITE}{path}"


def migrated_template(root: Path) -> Path:
    """The template for the migrations as they are on disk, migrated once."""
    sources = sorted((root / "alembic").rglob("*.py"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()
    template = root / TEMPLATES / f"{digest[:16]}.db"
    if not template.exists():
        template.parent.mkdir(parents=True, exist_ok=True)
        partial = template.with_suffix(f".{os.getpid()}.part")
        migrate(root, sqlite_url(partial))
        partial.replace(template)  # whole, or not there at all
    return template


def in_a_thread(step: Callable[[], object]) -> None:
    """Run `step` on a thread of its own, raising here what it raised there:
    the project's env.py calls asyncio.run, which refuses to start inside a
    running event loop (a notebook's kernel has one)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            step()
        except BaseException as error:  # raised again in the caller's thread
            failure.append(error)

    worker = threading.Thread(target=run, name="workshop-migrate")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def migrate(root: Path, url: str, revision: str = "head") -> None:
    """`alembic upgrade <revision>` on `url`, in this process (`in_a_thread`)."""
    from alembic import command
    from alembic.config import Config

    config = Config(
        root / "alembic.ini",
        attributes={"database_url": url, "configure_logging": False},
    )
    in_a_thread(lambda: command.upgrade(config, revision))
