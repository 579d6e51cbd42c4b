"""A new database for every test, on SQLite or PostgreSQL, migrated in advance.

Migrating is slow (Alembic runs every revision), so each backend migrates one
template database once, and every test gets a copy of it: a file copy on SQLite,
CREATE DATABASE ... TEMPLATE on PostgreSQL. The app under test then opens its own
connections to its own database, on its own event loop, and commits for real.
"""

import itertools
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

import anyio.from_thread
import asyncpg
from alembic import command
from alembic.config import Config
from postgres_server import PostgresServer

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str) -> Config:
    """Alembic's configuration, pointed at `url` rather than the app's settings."""
    return Config(
        ROOT / "alembic.ini",
        attributes={"database_url": url, "configure_logging": False},
    )


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


class Databases(Protocol):
    """New databases on one backend: "sqlite" or "postgresql"."""

    backend: str

    def database(self, *, migrated: bool = True) -> AbstractContextManager[str]: ...


class SQLiteDatabases:
    """Database files in one folder; the migrated template is copied."""

    backend = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.numbers = itertools.count(1)
        self.template: Path | None = None

    def url(self, path: Path) -> str:
        return f"sqlite+aiosqlite:///{path}"

    @contextmanager
    def database(self, *, migrated: bool = True) -> Iterator[str]:
        """The URL of a new database: at head, or empty (for migration tests)."""
        path = self.folder / f"test_{next(self.numbers)}.db"
        if migrated:
            shutil.copyfile(self.migrated_template(), path)
        try:
            yield self.url(path)
        finally:
            for leftover in self.folder.glob(f"{path.name}*"):  # with -wal, -shm
                leftover.unlink()

    def migrated_template(self) -> Path:
        if self.template is None:
            self.template = self.folder / "template.db"
            migrate(self.url(self.template))
        return self.template


class PostgresDatabases:
    """Databases in one running cluster; the migrated template is cloned.

    The CREATE and DROP statements go through one connection kept open on an
    event loop of its own (in a thread), usable from any test, async or not.
    """

    backend = "postgresql"

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self.numbers = itertools.count(1)
        self.template: str | None = None

    @contextmanager
    def started(self) -> Iterator["PostgresDatabases"]:
        with anyio.from_thread.start_blocking_portal() as self.portal:
            self.admin = self.portal.call(asyncpg.connect, self.server.dsn)
            try:
                yield self
            finally:
                self.portal.call(self.admin.close)

    def execute(self, sql: str) -> None:
        self.portal.call(self.admin.execute, sql)

    @contextmanager
    def database(self, *, migrated: bool = True) -> Iterator[str]:
        """The URL of a new database: at head, or empty (for migration tests)."""
        name = f"test_{next(self.numbers)}"
        # FILE_COPY: for a small database, faster than PostgreSQL 15's default.
        template = self.migrated_template() if migrated else "template0"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
        try:
            yield self.server.url(name)
        finally:
            self.execute(f"DROP DATABASE {name} WITH (FORCE)")

    def migrated_template(self) -> str:
        if self.template is None:
            self.execute("CREATE DATABASE migrated")
            migrate(self.server.url("migrated"))
            self.template = "migrated"
        return self.template
