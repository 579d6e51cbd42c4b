"""Where sign-in sessions are kept: one per login, with its family of refresh tokens."""

from dataclasses import dataclass
from typing import Protocol

from app.repositories.memory import InMemoryTable


@dataclass(frozen=True)
class SessionRecord:
    """One sign-in. Every refresh token it issues belongs to this family, and only
    the newest (`refresh_token_id`) may be exchanged."""

    id: int
    user_id: int
    refresh_token_id: str
    revoked: bool = False


class SessionRepository(Protocol):
    """What the auth service needs from storage; lesson 05 adds a database version."""

    async def add(self, *, user_id: int, refresh_token_id: str) -> SessionRecord: ...
    async def get(self, session_id: int) -> SessionRecord | None: ...
    async def rotate(self, session_id: int, *, old: str, new: str) -> bool: ...
    async def revoke(self, session_id: int) -> None: ...
    async def revoke_all(self, *, user_id: int) -> None: ...


class InMemorySessionRepository:
    """Sessions in a dictionary: fast, and gone when the process stops."""

    def __init__(self) -> None:
        self._table: InMemoryTable[SessionRecord] = InMemoryTable()

    async def add(self, *, user_id: int, refresh_token_id: str) -> SessionRecord:
        return self._table.insert(
            lambda new_id: SessionRecord(new_id, user_id, refresh_token_id)
        )

    async def get(self, session_id: int) -> SessionRecord | None:
        return self._table.get(session_id)

    async def rotate(self, session_id: int, *, old: str, new: str) -> bool:
        """Swap the current refresh token id, only if it is still `old`.

        A compare-and-set, so two requests racing with the same token cannot both
        win. There is no await between the check and the write, which makes it
        atomic here; a database does it with UPDATE ... WHERE refresh_token_id = old.
        """
        session = self._table.get(session_id)
        if session is None or session.revoked or session.refresh_token_id != old:
            return False
        self._table.update(session, {"refresh_token_id": new})
        return True

    async def revoke(self, session_id: int) -> None:
        session = self._table.get(session_id)
        if session is not None:
            self._table.update(session, {"revoked": True})

    async def revoke_all(self, *, user_id: int) -> None:
        """End every session of one user, on every device."""
        for session in list(self._table.where(user_id=user_id, revoked=False)):
            self._table.update(session, {"revoked": True})
