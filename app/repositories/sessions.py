"""Where sign-in sessions are kept: one per login, with its family of refresh tokens."""

from typing import Protocol

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuthSession, User

# Runs on every signed-in request, so it is built once: SQLAlchemy remembers the
# cache key of a statement object it has seen, and a new one costs more to run.
USER_OF_OPEN_SESSION = (
    select(User)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(AuthSession.id == bindparam("session_id"), AuthSession.revoked.is_(False))
)


class SessionRepository(Protocol):
    """What the auth service needs from storage."""

    async def add(self, *, user_id: int, refresh_token_id: str) -> AuthSession: ...
    async def get(self, session_id: int) -> AuthSession | None: ...
    async def user_of(self, session_id: int) -> User | None: ...
    async def rotate(self, session_id: int, *, old: str, new: str) -> bool: ...
    async def revoke(self, session_id: int) -> None: ...
    async def revoke_all(self, *, user_id: int) -> None: ...


class DatabaseSessionRepository:
    """Sessions in the `sessions` table, through the request's (database) session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, *, user_id: int, refresh_token_id: str) -> AuthSession:
        auth_session = AuthSession(user_id=user_id, refresh_token_id=refresh_token_id)
        self.session.add(auth_session)
        await self.session.flush()  # the id goes into the tokens
        return auth_session

    async def get(self, session_id: int) -> AuthSession | None:
        return await self.session.get(AuthSession, session_id)

    async def user_of(self, session_id: int) -> User | None:
        """The user of a session that is still open, in one query; else None."""
        return await self.session.scalar(
            USER_OF_OPEN_SESSION, {"session_id": session_id}
        )

    async def rotate(self, session_id: int, *, old: str, new: str) -> bool:
        """Swap the current refresh token id, only if it is still `old`.

        A compare-and-set in one UPDATE, so two requests racing with the same token
        cannot both win: the database lets one change the row, and the other finds
        no row that still matches (PostgreSQL makes it wait for the first to
        commit, then re-checks the WHERE clause).
        """
        changed = await self.session.scalar(
            update(AuthSession)
            .where(
                AuthSession.id == session_id,
                AuthSession.refresh_token_id == old,
                AuthSession.revoked.is_(False),
            )
            .values(refresh_token_id=new, last_used_at=func.now())
            .returning(AuthSession.id)
        )
        return changed is not None

    async def revoke(self, session_id: int) -> None:
        await self.session.execute(
            update(AuthSession).where(AuthSession.id == session_id).values(revoked=True)
        )

    async def revoke_all(self, *, user_id: int) -> None:
        """End every session of one user, on every device."""
        await self.session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user_id, AuthSession.revoked.is_(False))
            .values(revoked=True)
        )
