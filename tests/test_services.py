"""The rules, tested without HTTP: services over the database repositories, on a
session of the test's own, in a database of the test's own."""

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass

import pytest
from conftest import FakeClock
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import Settings
from app.errors import Conflict, Invalid, LastAdministrator, NotFound
from app.models import AuthSession, Role, User
from app.repositories.attempts import DatabaseAttemptRepository
from app.repositories.items import DatabaseItemRepository
from app.repositories.sessions import DatabaseSessionRepository
from app.repositories.users import DatabaseUserRepository
from app.schemas.items import ItemCreate, ItemUpdate
from app.schemas.users import UserCreate, UserUpdate
from app.security.passwords import PasswordHasher
from app.services.items import ItemService
from app.services.throttle import Throttle
from app.services.users import UserService

PASSWORD = "correct horse battery staple"


def new_user(email: str = "ada@example.com") -> UserCreate:
    return UserCreate(email=email, full_name="Ada Lovelace", password=PASSWORD)


def new_item(sku: str = "TEA-0001") -> ItemCreate:
    return ItemCreate(name="Green tea", price_cents=650, sku=sku)


async def revoked(users: UserService, *sessions: AuthSession) -> list[bool]:
    """Whether each session has ended, as the database holds it now."""
    query = select(AuthSession.id, AuthSession.revoked)
    stored = dict((await users.users.session.execute(query)).all())
    return [stored.get(session.id, True) for session in sessions]


@pytest.fixture
def passwords(settings: Settings) -> PasswordHasher:
    return PasswordHasher(settings)


@pytest.fixture
def users(
    session: AsyncSession,
    passwords: PasswordHasher,
    settings: Settings,
    clock: FakeClock,
) -> UserService:
    return user_service(session, passwords, settings, clock)


def user_service(
    session: AsyncSession,
    passwords: PasswordHasher,
    settings: Settings,
    clock: FakeClock,
) -> UserService:
    throttle = Throttle(
        attempts=DatabaseAttemptRepository(session),
        passwords=passwords,
        settings=settings,
        clock=clock,
        transaction=session,
    )
    return UserService(
        users=DatabaseUserRepository(session),
        passwords=passwords,
        sessions=DatabaseSessionRepository(session),
        throttle=throttle,
        transaction=session,
    )


@pytest.fixture
def items(session: AsyncSession) -> ItemService:
    return ItemService(DatabaseItemRepository(session))


@dataclass(frozen=True)
class Owners:
    ada: User
    bob: User
    root: User


@pytest.fixture
async def owners(session: AsyncSession) -> Owners:
    """Three stored users to own items: items need an owner that exists."""
    stored = DatabaseUserRepository(session)

    async def add(name: str, role: Role = Role.USER) -> User:
        email = f"{name}@example.com"
        return await stored.add(
            email=email, full_name=name.title(), hashed_password="-", role=role
        )

    return Owners(await add("ada"), await add("bob"), await add("root", Role.ADMIN))


async def test_create_stores_an_argon2_hash_and_returns_no_secret(
    users: UserService, passwords: PasswordHasher
) -> None:
    created = await users.create(new_user())
    assert created.model_dump() == {
        "id": 1,
        "email": "ada@example.com",
        "full_name": "Ada Lovelace",
        "role": "user",
    }
    stored = await users.users.get(1)
    assert stored is not None and stored.role == "user"
    assert stored.hashed_password.startswith("$argon2id$")
    assert await passwords.verify(PASSWORD, stored.hashed_password) == (True, None)


async def test_an_email_is_registered_once(users: UserService) -> None:
    await users.create(new_user())
    with pytest.raises(Conflict):
        await users.create(new_user("ADA@example.com"))


async def test_update_refuses_another_users_email(users: UserService) -> None:
    await users.create(new_user())
    grace = await users.create(new_user("grace@example.com"))
    with pytest.raises(Conflict):
        await users.update(user_id=grace.id, data=UserUpdate(email="ada@example.com"))
    same = await users.update(user_id=grace.id, data=UserUpdate(email=grace.email))
    assert same == grace


async def test_update_rehashes_a_new_password_and_ends_the_sessions(
    users: UserService, passwords: PasswordHasher
) -> None:
    await users.create(new_user())
    await users.create(new_user("grace@example.com"))
    phone = await users.sessions.add(user_id=1, refresh_token_id="r1")
    laptop = await users.sessions.add(user_id=1, refresh_token_id="r2")
    other = await users.sessions.add(user_id=2, refresh_token_id="r3")
    await users.update(user_id=1, data=UserUpdate(full_name="Ada Lovelace"))
    assert await revoked(users, phone, laptop, other) == [False, False, False]
    updated = await users.update(
        user_id=1, data=UserUpdate(full_name="Ada King", password="another long one")
    )
    assert (updated.full_name, updated.email) == ("Ada King", "ada@example.com")
    stored = await users.users.get(1)
    assert stored is not None
    assert (await passwords.verify("another long one", stored.hashed_password))[0]
    assert await revoked(users, phone, laptop, other) == [True, True, False]


async def test_the_first_admin_is_created_once(users: UserService) -> None:
    for _ in range(2):
        await users.create_first_admin(email="Root@example.com", password=PASSWORD)
    assert await users.users.count() == 1
    root = await users.users.get_by_email("root@example.com")
    assert root is not None and root.role == Role.ADMIN


async def test_a_taken_first_admin_email_is_reported_never_promoted(
    users: UserService, caplog: pytest.LogCaptureFixture
) -> None:
    await users.create(new_user("root@example.com"))  # signed up first
    with caplog.at_level(logging.ERROR, logger="app.services.users"):
        await users.create_first_admin(email="Root@example.com", password=PASSWORD)
    root = await users.users.get_by_email("root@example.com")
    assert root is not None and root.role == Role.USER
    [record] = [r for r in caplog.records if r.name == "app.services.users"]
    assert record.levelno == logging.ERROR
    assert "no administrator" in record.getMessage()
    assert "APP_FIRST_ADMIN_EMAIL (root@example.com)" in record.getMessage()


async def test_a_taken_first_admin_email_is_quiet_while_an_admin_exists(
    users: UserService, caplog: pytest.LogCaptureFixture
) -> None:
    await users.create_first_admin(email="boss@example.com", password=PASSWORD)
    await users.create(new_user("root@example.com"))
    with caplog.at_level(logging.ERROR, logger="app.services.users"):
        await users.create_first_admin(email="root@example.com", password=PASSWORD)
    assert not [r for r in caplog.records if r.name == "app.services.users"]


async def test_an_administrator_goes_only_while_another_stays(
    users: UserService, session: AsyncSession
) -> None:
    for name in ("root", "boss"):
        await users.create_first_admin(email=f"{name}@example.com", password=PASSWORD)
    await session.commit()
    await users.delete(1)  # boss stays
    with pytest.raises(LastAdministrator):
        await users.delete(2)
    await session.rollback()  # what the request's session does with the error
    boss = await users.users.get(2)
    assert boss is not None and boss.role == Role.ADMIN


class MeetingUsers(DatabaseUserRepository):
    """Users whose deletion waits for the other request's, a few seconds at most:
    the moment a race needs, made to happen. A lock that keeps the other request
    out makes this one wait the seconds, then go on alone."""

    def __init__(self, session: AsyncSession, deleted: list[int]) -> None:
        super().__init__(session)
        self.deleted = deleted

    async def delete(self, user: User) -> None:
        await super().delete(user)
        self.deleted.append(user.id)
        with suppress(TimeoutError):
            async with asyncio.timeout(5):
                while len(self.deleted) < 2:
                    await asyncio.sleep(0.01)


async def test_two_administrators_deleting_each_other_at_once_leave_one(
    users: UserService,
    sessionmaker: async_sessionmaker[AsyncSession],
    passwords: PasswordHasher,
    settings: Settings,
    clock: FakeClock,
) -> None:
    for name in ("root", "boss"):
        await users.create_first_admin(email=f"{name}@example.com", password=PASSWORD)
    await users.transaction.commit()
    deleted: list[int] = []

    async def delete(user_id: int) -> bool:
        """One request: its own session, committed unless the service refuses."""
        async with sessionmaker() as session:
            service = user_service(session, passwords, settings, clock)
            service.users = MeetingUsers(session, deleted)
            try:
                await service.delete(user_id)
            except LastAdministrator:
                return False
            await session.commit()
            return True

    assert sorted(await asyncio.gather(delete(1), delete(2))) == [False, True]
    async with sessionmaker() as session:
        assert await DatabaseUserRepository(session).count_admins() == 1


async def test_a_new_password_may_not_contain_the_email_name(
    users: UserService,
) -> None:
    await users.create(new_user())
    with pytest.raises(Invalid):
        await users.update(user_id=1, data=UserUpdate(password="ada's own passphrase"))


async def test_deleting_a_user_ends_their_sessions(users: UserService) -> None:
    await users.create(new_user())
    session = await users.sessions.add(user_id=1, refresh_token_id="r1")
    await users.delete(1)
    assert await revoked(users, session) == [True]


async def test_missing_users_are_not_found(users: UserService) -> None:
    with pytest.raises(NotFound):
        await users.get(1)
    await users.create(new_user())
    await users.delete(1)
    with pytest.raises(NotFound):
        await users.delete(1)


async def test_pages_count_everything(users: UserService) -> None:
    for n in range(5):
        await users.create(new_user(f"user{n}@example.com"))
    page = await users.page(limit=2, offset=3)
    assert [user.id for user in page.items] == [4, 5]
    assert (page.total, page.limit, page.offset) == (5, 2, 3)


async def test_a_sku_names_one_item(items: ItemService, owners: Owners) -> None:
    await items.create(new_item(), owner=owners.ada)
    other = await items.create(new_item("TEA-0002"), owner=owners.bob)
    with pytest.raises(Conflict):
        await items.create(new_item(), owner=owners.bob)
    with pytest.raises(Conflict):
        await items.update(
            await items.owned(other.id, user=owners.bob), ItemUpdate(sku="TEA-0001")
        )


async def test_users_see_their_own_items_and_admins_all(
    items: ItemService, owners: Owners
) -> None:
    await items.create(new_item("TEA-0001"), owner=owners.ada)
    await items.create(new_item("TEA-0002"), owner=owners.bob)
    assert [
        i.sku for i in (await items.page(user=owners.ada, limit=9, offset=0)).items
    ] == ["TEA-0001"]
    assert (await items.page(user=owners.bob, limit=9, offset=0)).total == 1
    assert (await items.page(user=owners.root, limit=9, offset=0)).total == 2
    assert (await items.owned(1, user=owners.root)).owner_id == owners.ada.id
    with pytest.raises(NotFound):
        await items.owned(1, user=owners.bob)


async def test_items_update_and_delete(items: ItemService, owners: Owners) -> None:
    await items.create(new_item(), owner=owners.ada)
    item = await items.owned(1, user=owners.ada)
    updated = await items.update(item, ItemUpdate(price_cents=590))
    assert (updated.price_cents, updated.name) == (590, "Green tea")
    await items.delete(await items.owned(1, user=owners.ada))
    with pytest.raises(NotFound):
        await items.owned(1, user=owners.ada)
