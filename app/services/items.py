"""The rules for items: a SKU names exactly one item, and users see only their own."""

from app.errors import NotFound
from app.models import Item, Role, User
from app.repositories.items import ItemRepository
from app.schemas.items import ItemCreate, ItemRead, ItemsPage, ItemUpdate


class ItemService:
    """Everything the API can do with items, on top of any ItemRepository."""

    def __init__(self, items: ItemRepository) -> None:
        self.items = items

    async def create(self, data: ItemCreate, *, owner: User) -> ItemRead:
        """A taken SKU is a Conflict: the database's unique constraint says so, the
        one check that two requests cannot both pass at the same moment."""
        item = await self.items.add(**data.model_dump(), owner_id=owner.id)
        return ItemRead.model_validate(item)

    async def owned(self, item_id: int, *, user: User) -> Item:
        """The item, if `user` may see it. Someone else's item is "not found", as
        if it did not exist: a 403 would confirm that the id is in use."""
        item = await self.items.get(item_id)
        if item is not None and item.owner_id != user.id and user.role != Role.ADMIN:
            item = None
        if item is None:
            raise NotFound(f"There is no item {item_id}.")
        return item

    async def page(self, *, user: User, limit: int, offset: int) -> ItemsPage:
        """The user's own items; every item for an administrator."""
        owner_id = None if user.role == Role.ADMIN else user.id
        items = await self.items.page(limit=limit, offset=offset, owner_id=owner_id)
        return ItemsPage(
            items=[ItemRead.model_validate(item) for item in items],
            total=await self.items.count(owner_id=owner_id),
            limit=limit,
            offset=offset,
        )

    async def update(self, item: Item, data: ItemUpdate) -> ItemRead:
        changes = data.model_dump(exclude_unset=True, exclude_none=True)
        return ItemRead.model_validate(await self.items.update(item, changes))

    async def delete(self, item: Item) -> None:
        await self.items.delete(item)
