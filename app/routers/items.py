"""Items over HTTP, for signed-in users: everyone sees and changes only their own."""

from fastapi import APIRouter, status

from app.dependencies import CurrentUser, ItemServiceDep, OwnedItem, PaginationDep
from app.routers.responses import SIGNED_IN, problem
from app.schemas.items import ItemCreate, ItemRead, ItemsPage, ItemUpdate

router = APIRouter(
    prefix="/items",
    tags=["items"],
    responses=SIGNED_IN,
)
NOT_FOUND = problem(404, "No such item, or not yours")
TAKEN = problem(409, "SKU already in use")


@router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Create an item", responses=TAKEN
)
async def create_item(
    data: ItemCreate, user: CurrentUser, items: ItemServiceDep
) -> ItemRead:
    """Add an item to the catalogue, owned by you; its SKU must be new."""
    return await items.create(data, owner=user)


@router.get("", summary="List items")
async def list_items(
    user: CurrentUser, items: ItemServiceDep, page: PaginationDep
) -> ItemsPage:
    """One page of your items (every item, for administrators), oldest first."""
    return await items.page(user=user, limit=page.limit, offset=page.offset)


@router.get("/{item_id}", summary="Read an item", responses=NOT_FOUND)
async def read_item(item: OwnedItem) -> ItemRead:
    """One of your items, by id."""
    return ItemRead.model_validate(item)


@router.patch("/{item_id}", summary="Update an item", responses={**NOT_FOUND, **TAKEN})
async def update_item(
    item: OwnedItem, data: ItemUpdate, items: ItemServiceDep
) -> ItemRead:
    """Change the fields sent; the others stay as they are."""
    return await items.update(item, data)


@router.delete(
    "/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an item",
    responses=NOT_FOUND,
)
async def delete_item(item: OwnedItem, items: ItemServiceDep) -> None:
    """Remove one of your items for good."""
    await items.delete(item)
