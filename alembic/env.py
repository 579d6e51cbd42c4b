"""How Alembic reaches the database: the app's URL, its models, async drivers."""

import asyncio
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.types import TypeDecorator

import app.models  # noqa: F401  (registers every table on Base.metadata)
from app.config import Settings
from app.database import Base, make_sqlite_folder

config = context.config
if config.config_file_name and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    """The app's database (APP_DATABASE_URL), unless the caller passed another in
    Config.attributes["database_url"], as the tests do.

    Settings(), not get_settings(): migrating needs the URL, validated, and none
    of what production asks of the running service (a signing key, for one)."""
    url = config.attributes.get("database_url")
    return url or Settings().database_url.get_secret_value()


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write the app's own column types as the SQLAlchemy types they are stored
    as: a migration must not import app code, which changes after it is written."""
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def configure(**options: Any) -> None:
    context.configure(
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        # Always on, so that a migration drafted on PostgreSQL runs on SQLite too.
        render_as_batch=True,
        compare_server_default=True,
        render_item=render_item,
        **options,
    )


def run_migrations_offline() -> None:
    """`alembic upgrade head --sql`: print the SQL instead of running it."""
    configure(url=database_url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        # WAL is a property of the file. Switching to it needs the file to
        # itself, so do it here, before the app's workers all try at once.
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        connection.commit()  # end the transaction the statement began
    configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    # Not the app's engine: its SQLite connections switch foreign keys on, and
    # then a batch migration that drops and copies `users` would first delete
    # every item and session through ON DELETE CASCADE.
    url = make_url(database_url())
    make_sqlite_folder(url)
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
