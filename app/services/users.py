"""The rules for users: one account per email, passwords stored only as argon2 hashes."""

import logging
from contextlib import suppress

from app.errors import (
    Conflict,
    Invalid,
    LastAdministrator,
    NotFound,
    PermissionDenied,
)
from app.models import Role, User
from app.repositories.sessions import SessionRepository
from app.repositories.transactions import Transaction
from app.repositories.users import UserRepository
from app.schemas.users import (
    UserCreate,
    UserRead,
    UserSelfUpdate,
    UsersPage,
    UserUpdate,
    password_problem,
)
from app.security.passwords import PasswordHasher
from app.services.throttle import Throttle

logger = logging.getLogger(__name__)


# The fields of an account that prove who owns it.
CREDENTIALS = {"email", "password"}


class UserService:
    """Everything the API can do with users, on top of any UserRepository."""

    def __init__(
        self,
        *,
        users: UserRepository,
        passwords: PasswordHasher,
        sessions: SessionRepository,
        throttle: Throttle,
        transaction: Transaction,
    ) -> None:
        self.users = users
        self.passwords = passwords
        self.sessions = sessions
        self.throttle = throttle
        self.transaction = transaction

    async def create(self, data: UserCreate, *, client: str | None = None) -> UserRead:
        """Sign up. `client` is the address asking (sign-ups per address are capped);
        None only for accounts the service makes itself."""
        if client is not None:
            await self.throttle.count_sign_up(client=client)
        return UserRead.model_validate(await self._add(data, role=Role.USER))

    async def create_first_admin(self, *, email: str, password: str) -> None:
        """Create the administrator named in settings, unless that email exists.

        An account that signed up with that email is never promoted: whoever signed
        up would own the service. With no administrator at all, every start says so
        (an error in the logs) until an operator picks another email."""
        data = UserCreate(email=email, full_name="Administrator", password=password)
        existing = await self.users.get_by_email(data.email)
        if existing is None:
            with suppress(Conflict):  # another worker, starting too, made it first
                await self._add(data, role=Role.ADMIN)
        elif existing.role != Role.ADMIN and not await self.users.count_admins():
            logger.error(
                "The service has no administrator: APP_FIRST_ADMIN_EMAIL (%s) "
                "belongs to an account that signed up as a user, and it is not "
                "promoted. Set APP_FIRST_ADMIN_EMAIL to an address nobody uses.",
                data.email,
            )

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

    async def update(
        self, *, user_id: int, data: UserUpdate, by: User | None = None
    ) -> UserRead:
        """Change the fields sent (an administrator's view of any account). `by` is
        the administrator asking: their own email and password change only at
        /users/me, with the current one, as everybody's do."""
        if by is not None and by.id == user_id and CREDENTIALS & data.model_fields_set:
            raise PermissionDenied(
                "Change your own email or password at /users/me, with current_password."
            )
        return await self._update(await self._get(user_id), data, password=None)

    async def update_me(
        self, *, user: User, data: UserSelfUpdate, client: str
    ) -> UserRead:
        """Change your own fields; a new email or password needs the current one."""
        if data.changes_credentials:
            if data.current_password is None:
                raise PermissionDenied(
                    "Send current_password to change your email or password."
                )
            valid, _ = await self.throttle.check_password(
                email=user.email,
                password=data.current_password,
                hashed=user.hashed_password,
                client=client,
            )
            if not valid:
                raise PermissionDenied("The current password is not right.")
        return await self._update(user, data, password=data.current_password)

    async def delete(self, user_id: int) -> None:
        """Remove the account. The database deletes its items and its sessions with
        it (ON DELETE CASCADE), so its tokens stop working at once. The last
        administrator stays: LastAdministrator, and the transaction rolls back."""
        user = await self._get(user_id)
        admin = user.role == Role.ADMIN
        if admin:  # PostgreSQL: a deletion of another administrator waits for ours
            await self.users.count_admins()
        await self.users.delete(user)
        # Counted after the deletion, in its transaction: of two administrators
        # deleted at once, the second sees the first gone (SQLite writes one at a
        # time; on PostgreSQL the lock above makes the second wait).
        if admin and not await self.users.count_admins():
            raise LastAdministrator(
                "There must be another administrator before this one can be deleted: "
                "without one, nobody could manage the accounts."
            )

    async def _add(self, data: UserCreate, *, role: Role) -> User:
        # The unique constraint refuses a second account for an email in any case;
        # asking first saves an argon2 hash (time and memory) when it is taken.
        await self._ensure_email_is_free(data.email)
        hashed_password = await self._hash(data.password)
        return await self.users.add(
            email=data.email,
            full_name=data.full_name,
            hashed_password=hashed_password,
            role=role,
        )

    async def _hash(self, password: str) -> str:
        """Hash outside any transaction: no pooled connection (nor SQLite's write
        lock) is held while the hash waits for its turn and runs."""
        await self.transaction.commit()
        return await self.passwords.hash(password)

    async def _update(
        self, user: User, data: UserUpdate, *, password: str | None
    ) -> UserRead:
        """Apply `data`; `password` is the current one when the caller proved it."""
        changes = data.model_dump(
            exclude_unset=True, exclude_none=True, include=set(UserUpdate.model_fields)
        )
        email = changes.get("email", user.email)
        if "email" in changes:
            await self._ensure_email_is_free(email, owner_id=user.id)
        new_password = changes.pop("password", None)
        # Lesson 02's rule holds for every pair of email and password an account
        # ends up with, whichever of the two changes.
        checked = new_password or (password if "email" in changes else None)
        if checked and (problem := password_problem(email=email, password=checked)):
            raise Invalid(problem)
        if new_password:
            changes["hashed_password"] = await self._hash(new_password)
        updated = await self.users.update(user, changes)
        if new_password:
            # Whoever holds a token from before the change (perhaps a thief with
            # a refresh token) must sign in again, with the new password.
            await self.sessions.revoke_all(user_id=user.id)
        return UserRead.model_validate(updated)

    async def _get(self, user_id: int) -> User:
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
