"""The rules, tested without HTTP: services over in-memory repositories."""

import pytest
from conftest import FakeClock

from app.config import Settings
from app.errors import Conflict, Invalid, NotFound
from app.repositories.attempts import InMemoryAttemptRepository
from app.repositories.items import InMemoryItemRepository
from app.repositories.sessions import InMemorySessionRepository, SessionRecord
from app.repositories.users import InMemoryUserRepository, Role, UserRecord
from app.schemas.items import ItemCreate, ItemUpdate
from app.schemas.users import UserCreate, UserUpdate
from app.security.passwords import PasswordHasher
from app.services.items import ItemService
from app.services.throttle import Throttle
from app.services.users import UserService

PASSWORD = "correct horse battery staple"
ADA = UserRecord(1, "ada@example.com", "Ada", "-", Role.USER)
BOB = UserRecord(2, "bob@example.com", "Bob", "-", Role.USER)
ROOT = UserRecord(3, "root@example.com", "Root", "-", Role.ADMIN)


def new_user(email: str = "ada@example.com") -> UserCreate:
    return UserCreate(email=email, full_name="Ada Lovelace", password=PASSWORD)


def new_item(sku: str = "TEA-0001") -> ItemCreate:
    return ItemCreate(name="Green tea", price_cents=650, sku=sku)


async def revoked(users: UserService, *sessions: SessionRecord) -> list[bool]:
    """Whether each session has ended, as storage holds it now."""
    now = [await users.sessions.get(session.id) for session in sessions]
    return [session is None or session.revoked for session in now]


@pytest.fixture
def passwords(settings: Settings) -> PasswordHasher:
    return PasswordHasher(settings)


@pytest.fixture
def users(
    passwords: PasswordHasher, settings: Settings, clock: FakeClock
) -> UserService:
    throttle = Throttle(
        attempts=InMemoryAttemptRepository(),
        passwords=passwords,
        settings=settings,
        clock=clock,
    )
    return UserService(
        users=InMemoryUserRepository(),
        passwords=passwords,
        sessions=InMemorySessionRepository(),
        throttle=throttle,
    )


@pytest.fixture
def items() -> ItemService:
    return ItemService(InMemoryItemRepository())


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


async def test_a_sku_names_one_item(items: ItemService) -> None:
    await items.create(new_item(), owner=ADA)
    other = await items.create(new_item("TEA-0002"), owner=BOB)
    with pytest.raises(Conflict):
        await items.create(new_item(), owner=BOB)
    with pytest.raises(Conflict):
        await items.update(
            await items.owned(other.id, user=BOB), ItemUpdate(sku="TEA-0001")
        )


async def test_users_see_their_own_items_and_admins_all(items: ItemService) -> None:
    await items.create(new_item("TEA-0001"), owner=ADA)
    await items.create(new_item("TEA-0002"), owner=BOB)
    assert [i.sku for i in (await items.page(user=ADA, limit=9, offset=0)).items] == [
        "TEA-0001"
    ]
    assert (await items.page(user=BOB, limit=9, offset=0)).total == 1
    assert (await items.page(user=ROOT, limit=9, offset=0)).total == 2
    assert (await items.owned(1, user=ROOT)).owner_id == ADA.id
    with pytest.raises(NotFound):
        await items.owned(1, user=BOB)


async def test_items_update_and_delete(items: ItemService) -> None:
    await items.create(new_item(), owner=ADA)
    item = await items.owned(1, user=ADA)
    updated = await items.update(item, ItemUpdate(price_cents=590))
    assert (updated.price_cents, updated.name) == (590, "Green tea")
    await items.delete(await items.owned(1, user=ADA))
    with pytest.raises(NotFound):
        await items.owned(1, user=ADA)
