"""Where users are kept: the protocol services rely on, and its database version."""

from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Role, User
from app.repositories.transactions import savepoint


class UserRepository(Protocol):
    """What the user service needs from storage."""

    async def add(
        self,
        *,
        email: str,
        full_name: str,
        hashed_password: str,
        role: Role = Role.USER,
    ) -> User: ...
    async def get(self, user_id: int) -> User | None: ...
    async def get_by_email(self, email: str) -> User | None: ...
    async def page(self, *, limit: int, offset: int) -> list[User]: ...
    async def count(self) -> int: ...
    async def count_admins(self) -> int: ...
    async def update(self, user: User, changes: Mapping[str, Any]) -> User: ...
    async def delete(self, user: User) -> None: ...


def taken(email: str) -> str:
    return f"The email {email} is already registered."


class DatabaseUserRepository:
    """Users in the `users` table, through the request's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        *,
        email: str,
        full_name: str,
        hashed_password: str,
        role: Role = Role.USER,
    ) -> User:
        user = User(
            email=email, full_name=full_name, hashed_password=hashed_password, role=role
        )
        async with savepoint(self.session, conflict=taken(email)):
            self.session.add(user)
        return user

    async def get(self, user_id: int) -> User | None:
        # session.get looks in the session first: the signed-in user, loaded by
        # the CurrentUser dependency, costs no second query.
        return await self.session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email))

    async def page(self, *, limit: int, offset: int) -> list[User]:
        query = select(User).order_by(User.id).limit(limit).offset(offset)
        return list(await self.session.scalars(query))

    async def count(self) -> int:
        return await self.session.scalar(select(func.count()).select_from(User)) or 0

    async def count_admins(self) -> int:
        """How many administrators there are. PostgreSQL keeps their rows locked
        (FOR UPDATE) until the transaction ends: another request that counts them
        waits for this one to finish, then counts what it left."""
        query = select(User.id).where(User.role == Role.ADMIN).with_for_update()
        return len(list(await self.session.scalars(query)))

    async def update(self, user: User, changes: Mapping[str, Any]) -> User:
        async with savepoint(self.session, conflict=taken(changes.get("email", ""))):
            for name, value in changes.items():
                setattr(user, name, value)
        return user

    async def delete(self, user: User) -> None:
        """Delete the user; the database deletes their items and sessions with them."""
        await self.session.delete(user)
        await self.session.flush()
