"""Routes in isolation: dependencies replaced through app.dependency_overrides."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from problem_details import problem

from app.config import Settings
from app.dependencies import (
    get_current_user,
    get_item_repository,
    get_item_service,
    get_user_service,
)
from app.errors import NotFound
from app.main import create_app
from app.models import Item, Role, User
from app.schemas.items import ItemsPage
from app.schemas.users import UserRead, UsersPage

ROOT = User(
    id=1,
    email="root@example.com",
    full_name="Root",
    hashed_password="-",
    role=Role.ADMIN,
)


class FakeUserService:
    """Answers like UserService, and remembers how it was called."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, int]]] = []

    async def page(self, *, limit: int, offset: int) -> UsersPage:
        self.calls.append(("page", {"limit": limit, "offset": offset}))
        user = UserRead(id=7, email="fake@example.com", full_name="Fake", role="user")
        return UsersPage(items=[user], total=1, limit=limit, offset=offset)

    async def get(self, user_id: int) -> UserRead:
        raise NotFound(f"There is no user {user_id}.")


class FakeItemService:
    """Answers like ItemService's `page`, with no items, and remembers the call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, int]]] = []

    async def page(self, *, user: User, limit: int, offset: int) -> ItemsPage:
        self.calls.append(("page", {"limit": limit, "offset": offset}))
        return ItemsPage(items=[], total=0, limit=limit, offset=offset)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    """An app whose caller is an administrator, without tokens or passwords."""
    app = create_app(settings)
    app.dependency_overrides[get_current_user] = lambda: ROOT
    yield app
    app.dependency_overrides.clear()


def test_a_route_only_translates_http_to_a_service_call(app: FastAPI) -> None:
    fake = FakeUserService()
    app.dependency_overrides[get_user_service] = lambda: fake
    with TestClient(app) as client:
        response = client.get("/api/v1/users", params={"limit": 5, "offset": 10})
    assert response.status_code == 200
    assert response.json()["items"][0]["email"] == "fake@example.com"
    assert fake.calls == [("page", {"limit": 5, "offset": 10})]


def test_domain_errors_become_http_errors_in_one_place(app: FastAPI) -> None:
    app.dependency_overrides[get_user_service] = FakeUserService
    with TestClient(app) as client:
        response = client.get("/api/v1/users/3")
    assert response.status_code == 404
    assert problem(response) == {
        "type": "https://fastapi-in-production.example/problems/not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "There is no user 3.",
    }


class OneItem:
    """An item repository holding one item in memory (the parts routes read)."""

    def __init__(self, item: Item) -> None:
        self.item = item

    async def get(self, item_id: int) -> Item | None:
        return self.item if item_id == self.item.id else None

    async def page(
        self, *, limit: int, offset: int, owner_id: int | None = None
    ) -> list[Item]:
        return [self.item][offset : offset + limit]

    async def count(self, *, owner_id: int | None = None) -> int:
        return 1


def test_storage_can_be_swapped_under_the_routes(app: FastAPI) -> None:
    tea = Item(id=1, name="Tea", description="", price_cents=650, sku="TEA-0001")
    app.dependency_overrides[get_item_repository] = lambda: OneItem(tea)
    with TestClient(app) as client:
        assert client.get("/api/v1/items/1").json()["name"] == "Tea"
        assert client.get("/api/v1/items").json()["total"] == 1


def test_the_items_route_passes_the_page_to_the_service(app: FastAPI) -> None:
    fake = FakeItemService()
    app.dependency_overrides[get_item_service] = lambda: fake
    with TestClient(app) as client:
        response = client.get("/api/v1/items", params={"limit": 3, "offset": 6})
    assert response.status_code == 200
    assert fake.calls == [("page", {"limit": 3, "offset": 6})]
