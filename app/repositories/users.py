"""Where users are kept: the protocol services rely on, and its in-memory version."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from app.repositories.memory import InMemoryTable


class Role(StrEnum):
    """What an account may do; JSON and storage see the plain strings."""

    USER = "user"
    ADMIN = "admin"


@dataclass(frozen=True)
class UserRecord:
    """A stored user, hash included. It never leaves the service layer."""

    id: int
    email: str
    full_name: str
    hashed_password: str
    role: Role = Role.USER


class UserRepository(Protocol):
    """What the user service needs from storage; lesson 05 adds a database version."""

    async def add(
        self,
        *,
        email: str,
        full_name: str,
        hashed_password: str,
        role: Role = Role.USER,
    ) -> UserRecord: ...
    async def get(self, user_id: int) -> UserRecord | None: ...
    async def get_by_email(self, email: str) -> UserRecord | None: ...
    async def page(self, *, limit: int, offset: int) -> list[UserRecord]: ...
    async def count(self) -> int: ...
    async def update(
        self, user: UserRecord, changes: Mapping[str, Any]
    ) -> UserRecord: ...
    async def delete(self, user: UserRecord) -> None: ...


class InMemoryUserRepository:
    """Users in a dictionary: fast, and gone when the process stops."""

    def __init__(self) -> None:
        self._table: InMemoryTable[UserRecord] = InMemoryTable()

    async def add(
        self,
        *,
        email: str,
        full_name: str,
        hashed_password: str,
        role: Role = Role.USER,
    ) -> UserRecord:
        return self._table.insert(
            lambda new_id: UserRecord(new_id, email, full_name, hashed_password, role)
        )

    async def get(self, user_id: int) -> UserRecord | None:
        return self._table.get(user_id)

    async def get_by_email(self, email: str) -> UserRecord | None:
        return self._table.find(email=email)

    async def page(self, *, limit: int, offset: int) -> list[UserRecord]:
        return self._table.page(limit=limit, offset=offset)

    async def count(self) -> int:
        return self._table.count()

    async def update(self, user: UserRecord, changes: Mapping[str, Any]) -> UserRecord:
        return self._table.update(user, changes)

    async def delete(self, user: UserRecord) -> None:
        self._table.delete(user)
