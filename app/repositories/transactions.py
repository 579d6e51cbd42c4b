"""Transactions as services and repositories use them: the request's own, which
a service may end early, and savepoints for writes that may clash."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict

# What the drivers call a broken UNIQUE (or primary key) constraint: PostgreSQL's
# SQLSTATE 23505 (asyncpg's UniqueViolationError), SQLite's extended result codes.
UNIQUE_VIOLATIONS = frozenset(
    {"23505", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}
)


class Transaction(Protocol):
    """The request's transaction, as a service sees it (an AsyncSession is one).

    The session dependency commits it when the route returns and rolls it back
    when the route raises. A service commits early in two cases:
    - before slow work that is not the database's (an argon2 hash): the
      transaction would hold a pooled connection, or SQLite's write lock, all along;
    - before refusing a request, when what it wrote must stay (a revoked session):
      the refusal rolls back whatever is not committed.
    After a commit the next statement begins a new transaction.
    """

    async def commit(self) -> None: ...


def broke_a_unique_constraint(error: IntegrityError) -> bool:
    """Whether the write clashed with a row that exists, read from the driver's
    code, not its message. A broken foreign key, CHECK or NOT NULL is another
    kind of error (a missing owner, a bug), never "already in use"."""
    driver_error = error.orig
    code = getattr(driver_error, "sqlstate", None) or getattr(
        driver_error, "sqlite_errorname", None
    )
    return code in UNIQUE_VIOLATIONS


@asynccontextmanager
async def savepoint(session: AsyncSession, *, conflict: str) -> AsyncIterator[None]:
    """Flush the changes made in the block inside a SAVEPOINT.

    The constraint is the rule: checking first and writing later lets two requests
    both pass the check. When the write breaks a constraint, only the savepoint is
    rolled back (PostgreSQL would otherwise refuse every later statement of the
    transaction); a broken unique constraint becomes Conflict(conflict), a 409,
    and any other error goes on as it is.
    Make the changes inside the block: changes made before it are flushed when it
    starts, outside the savepoint.
    """
    try:
        async with session.begin_nested():
            yield
    except IntegrityError as error:
        if not broke_a_unique_constraint(error):
            raise
        raise Conflict(conflict) from None
