"""Where items are kept: the protocol services rely on, and its database version."""

from collections.abc import Mapping
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Item
from app.repositories.transactions import savepoint


class ItemRepository(Protocol):
    """What the item service needs from storage.

    `owner_id=None` in `page` and `count` means every owner (for administrators).
    """

    async def add(
        self, *, name: str, description: str, price_cents: int, sku: str, owner_id: int
    ) -> Item: ...
    async def get(self, item_id: int) -> Item | None: ...
    async def page(
        self, *, limit: int, offset: int, owner_id: int | None = None
    ) -> list[Item]: ...
    async def count(self, *, owner_id: int | None = None) -> int: ...
    async def update(self, item: Item, changes: Mapping[str, Any]) -> Item: ...
    async def delete(self, item: Item) -> None: ...


def taken(sku: str) -> str:
    return f"The SKU {sku} is already in use."


class DatabaseItemRepository:
    """Items in the `items` table, through the request's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, *, name: str, description: str, price_cents: int, sku: str, owner_id: int
    ) -> Item:
        item = Item(
            name=name,
            description=description,
            price_cents=price_cents,
            sku=sku,
            owner_id=owner_id,
        )
        async with savepoint(self.session, conflict=taken(sku)):
            self.session.add(item)
        return item

    async def get(self, item_id: int) -> Item | None:
        return await self.session.get(Item, item_id)

    async def page(
        self, *, limit: int, offset: int, owner_id: int | None = None
    ) -> list[Item]:
        query = select(Item).order_by(Item.id).limit(limit).offset(offset)
        if owner_id is not None:
            query = query.where(Item.owner_id == owner_id)
        return list(await self.session.scalars(query))

    async def count(self, *, owner_id: int | None = None) -> int:
        query = select(func.count()).select_from(Item)
        if owner_id is not None:
            query = query.where(Item.owner_id == owner_id)
        return await self.session.scalar(query) or 0

    async def update(self, item: Item, changes: Mapping[str, Any]) -> Item:
        async with savepoint(self.session, conflict=taken(changes.get("sku", ""))):
            for name, value in changes.items():
                setattr(item, name, value)
        return item

    async def delete(self, item: Item) -> None:
        await self.session.delete(item)
        await self.session.flush()
