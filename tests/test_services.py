"""The rules, tested without HTTP: services over in-memory repositories."""

import pytest

from app.errors import Conflict, NotFound
from app.repositories.items import InMemoryItemRepository
from app.repositories.users import InMemoryUserRepository
from app.schemas.items import ItemCreate, ItemUpdate
from app.schemas.users import UserCreate, UserUpdate
from app.services.items import ItemService
from app.services.users import UserService, placeholder_hash

PASSWORD = "correct horse battery staple"


def new_user(email: str = "ada@example.com") -> UserCreate:
    return UserCreate(email=email, full_name="Ada Lovelace", password=PASSWORD)


def new_item(sku: str = "TEA-0001") -> ItemCreate:
    return ItemCreate(name="Green tea", price_cents=650, sku=sku)


@pytest.fixture
def users() -> UserService:
    return UserService(InMemoryUserRepository())


@pytest.fixture
def items() -> ItemService:
    return ItemService(InMemoryItemRepository())


async def test_create_stores_a_hash_and_returns_no_secret(users: UserService) -> None:
    created = await users.create(new_user())
    assert created.model_dump() == {
        "id": 1,
        "email": "ada@example.com",
        "full_name": "Ada Lovelace",
    }
    stored = await users.users.get(1)
    assert stored is not None
    assert stored.hashed_password == placeholder_hash(PASSWORD) != PASSWORD


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


async def test_update_changes_only_what_was_sent(users: UserService) -> None:
    await users.create(new_user())
    updated = await users.update(
        user_id=1, data=UserUpdate(full_name="Ada King", password="another long one")
    )
    assert (updated.full_name, updated.email) == ("Ada King", "ada@example.com")
    stored = await users.users.get(1)
    assert stored is not None
    assert stored.hashed_password == placeholder_hash("another long one")


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
    await items.create(new_item())
    other = await items.create(new_item("TEA-0002"))
    with pytest.raises(Conflict):
        await items.create(new_item())
    with pytest.raises(Conflict):
        await items.update(item_id=other.id, data=ItemUpdate(sku="TEA-0001"))


async def test_items_update_get_and_delete(items: ItemService) -> None:
    await items.create(new_item())
    updated = await items.update(item_id=1, data=ItemUpdate(price_cents=590))
    assert (updated.price_cents, updated.name) == (590, "Green tea")
    assert await items.get(1) == updated
    assert (await items.page(limit=10, offset=0)).total == 1
    await items.delete(1)
    with pytest.raises(NotFound):
        await items.get(1)
