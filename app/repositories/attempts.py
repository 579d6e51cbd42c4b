"""Counters of recent attempts, by key: what the throttle remembers between requests.

They live in the database, so that every worker process of the service counts
together: with counters in memory, four workers would allow four times the tries.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Attempt


@dataclass(frozen=True)
class AttemptRecord:
    """How many attempts `key` made since `first`, and when the last one was."""

    key: str
    count: int
    first: datetime
    last: datetime


class AttemptRepository(Protocol):
    """What the throttle needs from storage."""

    async def get(self, key: str) -> AttemptRecord | None: ...
    async def hit(
        self, key: str, *, now: datetime, window: timedelta
    ) -> AttemptRecord: ...
    async def clear(self, key: str) -> None: ...


COLUMNS = (Attempt.key, Attempt.count, Attempt.first, Attempt.last)


class DatabaseAttemptRepository:
    """Counters in the `attempts` table, written in the request's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str) -> AttemptRecord | None:
        row = (
            await self.session.execute(select(*COLUMNS).where(Attempt.key == key))
        ).one_or_none()
        return None if row is None else AttemptRecord(*row)

    async def hit(self, key: str, *, now: datetime, window: timedelta) -> AttemptRecord:
        """Count one more attempt; a counter older than `window` starts again.

        One INSERT ... ON CONFLICT DO UPDATE, atomic in the database: attempts
        counted at the same moment by any number of workers are all counted.
        """
        dialect = self.session.get_bind().dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(
            Attempt
        ).values(key=key, count=1, first=now, last=now)
        expired = Attempt.first <= now - window
        statement = insert.on_conflict_do_update(
            index_elements=[Attempt.key],
            set_={
                "count": case((expired, 1), else_=Attempt.count + 1),
                "first": case((expired, insert.excluded.first), else_=Attempt.first),
                "last": insert.excluded.last,
            },
        ).returning(*COLUMNS)
        return AttemptRecord(*(await self.session.execute(statement)).one())

    async def clear(self, key: str) -> None:
        await self.session.execute(delete(Attempt).where(Attempt.key == key))

    async def prune(self, *, before: datetime) -> int:
        """Delete the counters last hit before `before`; how many went.

        Run it now and then (a scheduled job) with `before` older than the
        throttle's window: an old counter no longer slows anyone down.
        """
        deleted = await self.session.scalars(
            delete(Attempt).where(Attempt.last < before).returning(Attempt.key)
        )
        return len(deleted.all())
