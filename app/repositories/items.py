"""Where items are kept: the protocol services rely on, and its in-memory version."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from app.repositories.memory import InMemoryTable


@dataclass(frozen=True)
class ItemRecord:
    """A stored item, and the user who owns it."""

    id: int
    name: str
    description: str
    price_cents: int
    sku: str
    owner_id: int


class ItemRepository(Protocol):
    """What the item service needs from storage; lesson 05 adds a database version.

    `owner_id=None` in `page` and `count` means every owner (for administrators).
    """

    async def add(
        self, *, name: str, description: str, price_cents: int, sku: str, owner_id: int
    ) -> ItemRecord: ...
    async def get(self, item_id: int) -> ItemRecord | None: ...
    async def get_by_sku(self, sku: str) -> ItemRecord | None: ...
    async def page(
        self, *, limit: int, offset: int, owner_id: int | None = None
    ) -> list[ItemRecord]: ...
    async def count(self, *, owner_id: int | None = None) -> int: ...
    async def update(
        self, item: ItemRecord, changes: Mapping[str, Any]
    ) -> ItemRecord: ...
    async def delete(self, item: ItemRecord) -> None: ...


class InMemoryItemRepository:
    """Items in a dictionary: fast, and gone when the process stops."""

    def __init__(self) -> None:
        self._table: InMemoryTable[ItemRecord] = InMemoryTable()

    async def add(
        self, *, name: str, description: str, price_cents: int, sku: str, owner_id: int
    ) -> ItemRecord:
        return self._table.insert(
            lambda new_id: ItemRecord(
                new_id, name, description, price_cents, sku, owner_id
            )
        )

    async def get(self, item_id: int) -> ItemRecord | None:
        return self._table.get(item_id)

    async def get_by_sku(self, sku: str) -> ItemRecord | None:
        return self._table.find(sku=sku)

    async def page(
        self, *, limit: int, offset: int, owner_id: int | None = None
    ) -> list[ItemRecord]:
        owner = {} if owner_id is None else {"owner_id": owner_id}
        return self._table.page(limit=limit, offset=offset, **owner)

    async def count(self, *, owner_id: int | None = None) -> int:
        owner = {} if owner_id is None else {"owner_id": owner_id}
        return self._table.count(**owner)

    async def update(self, item: ItemRecord, changes: Mapping[str, Any]) -> ItemRecord:
        return self._table.update(item, changes)

    async def delete(self, item: ItemRecord) -> None:
        self._table.delete(item)
