"""Transactions as services and repositories use them: the request's own, which
a service may end early, and savepoints for writes that may clash."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Conflict


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


@asynccontextmanager
async def savepoint(session: AsyncSession, *, conflict: str) -> AsyncIterator[None]:
    """Flush the changes made in the block inside a SAVEPOINT.

    The constraint is the rule: checking first and writing later lets two requests
    both pass the check. When the write breaks a constraint, only the savepoint is
    rolled back (PostgreSQL would otherwise refuse every later statement of the
    transaction) and the caller gets Conflict(conflict), a 409, never a 500.
    Make the changes inside the block: changes made before it are flushed when it
    starts, outside the savepoint.
    """
    try:
        async with session.begin_nested():
            yield
    except IntegrityError:
        raise Conflict(conflict) from None
