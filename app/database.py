"""The database: an async engine and its sessions, made from settings, and `Base`."""

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

from app.config import Settings

# Every constraint and index gets a predictable name, the same on SQLite and
# PostgreSQL, so that a migration can later name the one it drops or changes.
NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "ix": "ix_%(column_0_label)s",
}


class Base(DeclarativeBase):
    """The models' base class; Alembic compares the migrations with its metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def create_engine(settings: Settings) -> AsyncEngine:
    """The engine for `settings.database_url`. It connects on first use, not here."""
    url = make_url(settings.database_url.get_secret_value())
    if url.get_backend_name() == "sqlite":
        return create_sqlite_engine(
            url, echo=settings.db_echo, busy_timeout=settings.db_pool_timeout
        )
    # hide_parameters: a database error's message, which ends in tracebacks and
    # logs, names the statement but not the values sent with it (emails, hashes).
    engine = create_async_engine(
        url,
        echo=settings.db_echo,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_recycle=settings.db_pool_recycle,
        hide_parameters=True,
    )
    event.listen(engine.sync_engine, "checkout", _refuse_closed_connection)
    return engine


def _refuse_closed_connection(dbapi_connection: Any, *_: Any) -> None:
    """A pooled connection the server closed (it restarted) is not lent to a request.

    asyncpg knows a connection is closed as soon as the event loop reads the end
    of its stream, so asking costs nothing. `pool_pre_ping=True` asks the server
    instead, in three round trips per checkout (asyncpg's ping runs in a
    transaction: BEGIN, an empty query, ROLLBACK). On DisconnectionError the pool
    drops this connection and opens a new one for the same checkout.
    """
    if dbapi_connection.driver_connection.is_closed():
        raise exc.DisconnectionError("PostgreSQL closed this pooled connection")


def create_sqlite_engine(
    url: URL, *, echo: bool = False, busy_timeout: float = 30.0
) -> AsyncEngine:
    """SQLite set up for a web service: WAL, foreign keys, real transactions.

    It takes no pool settings. A SQLite connection is a file opened inside this
    process: cheap to open, with no server behind it whose connection slots a pool
    would ration, and SQLite lets one writer in at a time however many connections
    wait. SQLAlchemy's default pool for the URL (a queue of connections for a file,
    one shared connection for :memory:) is the right one. What a request waits for
    here is the write lock: up to `busy_timeout` seconds (db_pool_timeout, as long
    as it would wait for a pooled connection), not sqlite3's default of 5.
    """
    make_sqlite_folder(url)
    engine = create_async_engine(
        url, echo=echo, hide_parameters=True, connect_args={"timeout": busy_timeout}
    )
    event.listen(engine.sync_engine, "connect", _configure_sqlite_connection)
    event.listen(engine.sync_engine, "begin", _begin_immediate)
    return engine


def make_sqlite_folder(url: URL) -> None:
    """SQLite creates a missing database file, not a missing folder (var/)."""
    if url.get_backend_name() == "sqlite" and url.database not in (
        None,
        "",
        ":memory:",
    ):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite_connection(dbapi_connection: Any, _: Any) -> None:
    # Python's sqlite3 skips BEGIN before SELECT and SAVEPOINT, which breaks
    # savepoints; turn its transaction handling off and let _begin_immediate do it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # A reader outside the app's transactions (a console, a backup) and the writer
    # do not block each other. The migrations already switched the file to WAL;
    # this covers a database made some other way.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite ignores foreign keys otherwise
    cursor.close()


def _begin_immediate(connection: Connection) -> None:
    """Take SQLite's write lock when the transaction starts, not at its first write.

    A transaction that read before writing cannot write once another one has
    committed in between: SQLite answers "database is locked" at once. Taking the
    lock up front makes concurrent requests wait their turn (up to the busy
    timeout) instead of failing. The price: every transaction, reads included,
    holds the one write lock until it ends, so transactions run one at a time, and
    one held longer than the busy timeout fails those waiting behind it.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE")


async def without_transaction(session: AsyncSession) -> None:
    """On PostgreSQL, let each statement of `session` commit on its own.

    At READ COMMITTED, PostgreSQL's default, each statement sees what was
    committed before it began, in a transaction or not (PostgreSQL's manual,
    13.2.1): around statements that only read, BEGIN and COMMIT change nothing
    and cost two round trips. Call it before the session's first statement. SQLite
    keeps its transactions: SQLAlchemy's AUTOCOMMIT there would undo what
    _configure_sqlite_connection set when the connection goes back to the pool.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit.

    By default a commit expires every loaded object, and reading an attribute then
    reloads it from the database: I/O hidden in an attribute access, which async
    code cannot do (SQLAlchemy raises MissingGreenlet).
    """
    return async_sessionmaker(engine, expire_on_commit=False)
