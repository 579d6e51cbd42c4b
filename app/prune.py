"""Delete what no request will read again: sign-in sessions whose every token has
expired, and throttle counters older than the throttle's window.

Run it on a schedule, as a command: `python -m app.prune` (cron, a Kubernetes
CronJob, a systemd timer), with the service's settings. A periodic task inside the
service would run in every worker of every replica, and never while it is down.
"""

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete

from app.clock import utc_now
from app.config import Settings
from app.database import create_engine, create_sessionmaker
from app.models import AuthSession
from app.repositories.attempts import DatabaseAttemptRepository


@dataclass(frozen=True)
class Pruned:
    sessions: int
    attempts: int


async def prune(settings: Settings, *, now: datetime) -> Pruned:
    """Both deletions in one transaction, and how many rows each removed."""
    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            # A refresh token lives refresh_token_days from its exchange: a session
            # unused for longer has nothing left that works, revoked or not.
            unused_since = now - timedelta(days=settings.refresh_token_days)
            sessions = await session.scalars(
                delete(AuthSession)
                .where(AuthSession.last_used_at < unused_since)
                .returning(AuthSession.id)
            )
            ended = len(sessions.all())
            window = timedelta(minutes=settings.throttle_window_minutes)
            attempts = await DatabaseAttemptRepository(session).prune(
                before=now - window
            )
            await session.commit()
    finally:
        await engine.dispose()
    return Pruned(sessions=ended, attempts=attempts)


def main() -> None:
    pruned = asyncio.run(prune(Settings(), now=utc_now()))
    print(
        f"Deleted {pruned.sessions} ended sessions "
        f"and {pruned.attempts} old attempt counters."
    )


if __name__ == "__main__":
    main()
