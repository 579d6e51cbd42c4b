"""The migrations: they build the schema the models describe, and undo it."""

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import closing

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from fresh_databases import Databases, alembic_config
from sqlalchemy import inspect, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app.database import Base

TABLES = set(Base.metadata.tables)


@pytest.fixture
def empty_url(databases: Databases) -> Iterator[str]:
    with databases.database(migrated=False) as url:
        yield url


def tables(url: str) -> set[str]:
    """The tables in the database, the Alembic bookkeeping one aside."""

    async def read() -> set[str]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                names = await connection.run_sync(
                    lambda sync: inspect(sync).get_table_names()
                )
        finally:
            await engine.dispose()
        return set(names) - {"alembic_version"}

    return asyncio.run(read())


def test_upgrade_builds_what_the_models_describe(empty_url: str) -> None:
    config = alembic_config(empty_url)
    command.upgrade(config, "head")
    assert tables(empty_url) == TABLES
    command.check(config)  # raises when autogenerate would find a difference


def test_downgrade_to_base_undoes_everything_and_upgrade_redoes_it(
    empty_url: str,
) -> None:
    config = alembic_config(empty_url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    assert tables(empty_url) == set()
    command.upgrade(config, "head")
    assert tables(empty_url) == TABLES
    command.check(config)


def test_a_new_sqlite_database_is_in_wal_mode_from_the_start(
    databases: Databases, empty_url: str
) -> None:
    """Switching to WAL needs the file to itself: two workers starting together
    on a new database would otherwise race for it ("database is locked")."""
    if databases.backend != "sqlite":
        pytest.skip("SQLite's own journal")
    command.upgrade(alembic_config(empty_url), "head")
    path = make_url(empty_url).database
    assert path is not None
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_revisions_form_one_line_with_readable_ids() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://"))
    assert len(script.get_heads()) == 1, "two heads: merge them"
    ids = [revision.revision for revision in script.walk_revisions()]
    assert all(id[:4].isdigit() and id[4] == "_" for id in ids), ids
