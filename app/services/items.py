"""The rules for items: a SKU names exactly one item."""

from app.errors import Conflict, NotFound
from app.repositories.items import ItemRecord, ItemRepository
from app.schemas.items import ItemCreate, ItemRead, ItemsPage, ItemUpdate


class ItemService:
    """Everything the API can do with items, on top of any ItemRepository."""

    def __init__(self, items: ItemRepository) -> None:
        self.items = items

    async def create(self, data: ItemCreate) -> ItemRead:
        await self._ensure_sku_is_free(data.sku)
        item = await self.items.add(**data.model_dump())
        return ItemRead.model_validate(item)

    async def get(self, item_id: int) -> ItemRead:
        return ItemRead.model_validate(await self._get(item_id))

    async def page(self, *, limit: int, offset: int) -> ItemsPage:
        items = await self.items.page(limit=limit, offset=offset)
        return ItemsPage(
            items=[ItemRead.model_validate(item) for item in items],
            total=await self.items.count(),
            limit=limit,
            offset=offset,
        )

    async def update(self, *, item_id: int, data: ItemUpdate) -> ItemRead:
        item = await self._get(item_id)
        changes = data.model_dump(exclude_unset=True, exclude_none=True)
        if "sku" in changes:
            await self._ensure_sku_is_free(changes["sku"], owner_id=item.id)
        return ItemRead.model_validate(await self.items.update(item, changes))

    async def delete(self, item_id: int) -> None:
        await self.items.delete(await self._get(item_id))

    async def _get(self, item_id: int) -> ItemRecord:
        item = await self.items.get(item_id)
        if item is None:
            raise NotFound(f"There is no item {item_id}.")
        return item

    async def _ensure_sku_is_free(
        self, sku: str, *, owner_id: int | None = None
    ) -> None:
        existing = await self.items.get_by_sku(sku)
        if existing is not None and existing.id != owner_id:
            raise Conflict(f"The SKU {sku} is already in use.")
