"""The rules for users: one account per email, passwords stored only as argon2 hashes."""

from app.errors import Conflict, NotFound
from app.repositories.sessions import SessionRepository
from app.repositories.users import Role, UserRecord, UserRepository
from app.schemas.users import UserCreate, UserRead, UsersPage, UserUpdate
from app.security.passwords import PasswordHasher


class UserService:
    """Everything the API can do with users, on top of any UserRepository."""

    def __init__(
        self,
        users: UserRepository,
        passwords: PasswordHasher,
        sessions: SessionRepository,
    ) -> None:
        self.users = users
        self.passwords = passwords
        self.sessions = sessions

    async def create(self, data: UserCreate, *, role: Role = "user") -> UserRead:
        await self._ensure_email_is_free(data.email)
        user = await self.users.add(
            email=data.email,
            full_name=data.full_name,
            hashed_password=await self.passwords.hash(data.password),
            role=role,
        )
        return UserRead.model_validate(user)

    async def create_first_admin(self, *, email: str, password: str) -> None:
        """Create the administrator named in settings, unless that email exists."""
        data = UserCreate(email=email, full_name="Administrator", password=password)
        if await self.users.get_by_email(data.email) is None:
            await self.create(data, role="admin")

    async def get(self, user_id: int) -> UserRead:
        return UserRead.model_validate(await self._get(user_id))

    async def page(self, *, limit: int, offset: int) -> UsersPage:
        users = await self.users.page(limit=limit, offset=offset)
        return UsersPage(
            items=[UserRead.model_validate(user) for user in users],
            total=await self.users.count(),
            limit=limit,
            offset=offset,
        )

    async def update(self, *, user_id: int, data: UserUpdate) -> UserRead:
        """Change the fields sent. A new password ends all the user's sessions."""
        user = await self._get(user_id)
        changes = data.model_dump(exclude_unset=True, exclude_none=True)
        if "email" in changes:
            await self._ensure_email_is_free(changes["email"], owner_id=user.id)
        new_password = "password" in changes
        if new_password:
            changes["hashed_password"] = await self.passwords.hash(
                changes.pop("password")
            )
        updated = await self.users.update(user, changes)
        if new_password:
            # Whoever holds a token from before the change (perhaps a thief with
            # a refresh token) must sign in again, with the new password.
            await self.sessions.revoke_all(user_id=user.id)
        return UserRead.model_validate(updated)

    async def delete(self, user_id: int) -> None:
        await self.users.delete(await self._get(user_id))

    async def _get(self, user_id: int) -> UserRecord:
        user = await self.users.get(user_id)
        if user is None:
            raise NotFound(f"There is no user {user_id}.")
        return user

    async def _ensure_email_is_free(
        self, email: str, *, owner_id: int | None = None
    ) -> None:
        """Refuse an email that another user (not `owner_id`) already has."""
        existing = await self.users.get_by_email(email)
        if existing is not None and existing.id != owner_id:
            raise Conflict(f"The email {email} is already registered.")
