"""The throttle's storage: counters per key, atomic across connections."""

import asyncio
from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.repositories.attempts import AttemptRecord, DatabaseAttemptRepository

KEY = "password:ada@example.com:203.0.113.7"
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


async def test_attempts_are_counted_from_the_first(session: AsyncSession) -> None:
    counters = DatabaseAttemptRepository(session)
    assert await counters.get(KEY) is None
    first = await counters.hit(KEY, now=T0, window=WINDOW)
    later = T0 + timedelta(minutes=1)
    second = await counters.hit(KEY, now=later, window=WINDOW)
    assert (first, second) == (
        AttemptRecord(KEY, 1, T0, T0),
        AttemptRecord(KEY, 2, T0, later),
    )
    assert await counters.get(KEY) == second
    assert await counters.get("address:203.0.113.7") is None  # keys are separate


async def test_times_come_back_aware_and_in_utc(session: AsyncSession) -> None:
    counters = DatabaseAttemptRepository(session)
    paris = T0.astimezone(timezone(timedelta(hours=2)))  # 11:00 in Paris, in May
    await counters.hit(KEY, now=paris, window=WINDOW)
    stored = await counters.get(KEY)
    assert stored is not None and stored.first == T0
    assert stored.first.utcoffset() == timedelta(0)


async def test_a_count_restarts_once_its_window_has_passed(
    session: AsyncSession,
) -> None:
    counters = DatabaseAttemptRepository(session)
    for minute in range(3):
        await counters.hit(KEY, now=T0 + timedelta(minutes=minute), window=WINDOW)
    inside = T0 + WINDOW - timedelta(seconds=1)
    assert (await counters.hit(KEY, now=inside, window=WINDOW)).count == 4
    after = T0 + WINDOW
    restarted = await counters.hit(KEY, now=after, window=WINDOW)
    assert restarted == AttemptRecord(KEY, 1, after, after)


async def test_clear_and_prune(session: AsyncSession) -> None:
    counters = DatabaseAttemptRepository(session)
    await counters.hit(KEY, now=T0, window=WINDOW)
    await counters.hit("old", now=T0 - timedelta(days=2), window=WINDOW)
    await counters.hit("recent", now=T0, window=WINDOW)
    await counters.clear(KEY)
    await counters.clear("never seen")  # harmless
    assert await counters.get(KEY) is None
    assert await counters.prune(before=T0 - timedelta(days=1)) == 1
    assert await counters.get("old") is None
    assert await counters.get("recent") is not None


async def test_concurrent_attempts_are_all_counted(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Ten workers, ten connections, one key: ten attempts, each its own count."""

    async def try_once() -> int:
        async with sessionmaker() as session:
            counters = DatabaseAttemptRepository(session)
            record = await counters.hit(KEY, now=T0, window=WINDOW)
            await session.commit()
            return record.count

    counts = await asyncio.gather(*(try_once() for _ in range(10)))
    assert sorted(counts) == list(range(1, 11))
    async with sessionmaker() as session:
        stored = await DatabaseAttemptRepository(session).get(KEY)
    assert stored == AttemptRecord(KEY, 10, T0, T0)
