"""Counters of recent attempts, by key: what the throttle remembers between requests."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class AttemptRecord:
    """How many attempts `key` made since `first`, and when the last one was."""

    key: str
    count: int
    first: datetime
    last: datetime


class AttemptRepository(Protocol):
    """What the throttle needs from storage; lesson 05 keeps it in the database, so
    that every worker process sees the same counters."""

    async def get(self, key: str) -> AttemptRecord | None: ...
    async def hit(
        self, key: str, *, now: datetime, window: timedelta
    ) -> AttemptRecord: ...
    async def clear(self, key: str) -> None: ...


class InMemoryAttemptRepository:
    """Counters in a dictionary: per process, and gone when it stops."""

    def __init__(self) -> None:
        self._records: dict[str, AttemptRecord] = {}

    async def get(self, key: str) -> AttemptRecord | None:
        return self._records.get(key)

    async def hit(self, key: str, *, now: datetime, window: timedelta) -> AttemptRecord:
        """Count one more attempt; a counter older than `window` starts again."""
        record = self._records.get(key)
        if record is None or now - record.first >= window:
            record = AttemptRecord(key, 1, now, now)
        else:
            record = replace(record, count=record.count + 1, last=now)
        self._records[key] = record
        return record

    async def clear(self, key: str) -> None:
        self._records.pop(key, None)
