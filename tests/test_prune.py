"""The prune job: what expired goes, what may still be used stays, on each database;
and `python -m app.prune` runs it as a scheduler would."""

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.database import create_engine, create_sessionmaker
from app.models import Attempt, AuthSession, User
from app.prune import Pruned, prune
from app.repositories.attempts import DatabaseAttemptRepository

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]


@asynccontextmanager
async def opened(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session on an engine of its own, closed with its pool afterwards."""
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def store(settings: Settings, now: datetime, margin: timedelta) -> None:
    """Sessions and counters: one `margin` past its end, one `margin` before it."""
    end = now - timedelta(days=settings.refresh_token_days)
    window = timedelta(minutes=settings.throttle_window_minutes)
    async with opened(settings) as session:
        user = User(email="ada@example.com", full_name="Ada", hashed_password="-")
        session.add(user)
        await session.flush()
        for name, last_used, revoked in [
            ("ended", end - margin, False),
            ("live", end + margin, False),
            ("revoked today", now, True),  # harmless, and kept for the record
        ]:
            session.add(
                AuthSession(
                    user_id=user.id,
                    refresh_token_id=name,
                    last_used_at=last_used,
                    revoked=revoked,
                )
            )
        counters = DatabaseAttemptRepository(session)
        await counters.hit("old", now=now - window - margin, window=window)
        await counters.hit("recent", now=now - window + margin, window=window)
        await session.commit()


async def left(settings: Settings) -> tuple[list[str], list[str]]:
    """The sessions and the counters stored now."""
    async with opened(settings) as session:
        sessions = await session.scalars(
            select(AuthSession.refresh_token_id).order_by(AuthSession.id)
        )
        keys = await session.scalars(select(Attempt.key).order_by(Attempt.key))
        return list(sessions), list(keys)


async def test_prune_deletes_what_expired_and_keeps_the_rest(
    settings: Settings,
) -> None:
    await store(settings, NOW, timedelta(seconds=1))
    assert await prune(settings, now=NOW) == Pruned(sessions=1, attempts=1)
    assert await left(settings) == (["live", "revoked today"], ["recent"])
    assert await prune(settings, now=NOW) == Pruned(sessions=0, attempts=0)


async def test_the_command_prunes_the_configured_database(settings: Settings) -> None:
    await store(settings, datetime.now(UTC), timedelta(hours=1))
    environment = {
        **os.environ,
        "APP_DATABASE_URL": settings.database_url.get_secret_value(),
        "APP_ENVIRONMENT": "test",
    }
    done = subprocess.run(
        [sys.executable, "-m", "app.prune"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Deleted 1 ended sessions and 1 old attempt counters." in done.stdout
    assert await left(settings) == (["live", "revoked today"], ["recent"])
