"""Items over HTTP. Each route is one service call; the rules live in services/items.py."""

from typing import Any

from fastapi import APIRouter, status

from app.dependencies import ItemServiceDep, PaginationDep
from app.schemas.items import ItemCreate, ItemRead, ItemsPage, ItemUpdate

router = APIRouter(prefix="/items", tags=["items"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such item"}}
TAKEN: dict[int | str, dict[str, Any]] = {409: {"description": "SKU already in use"}}


@router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Create an item", responses=TAKEN
)
async def create_item(data: ItemCreate, items: ItemServiceDep) -> ItemRead:
    """Add an item to the catalogue; its SKU must be new."""
    return await items.create(data)


@router.get("", summary="List items")
async def list_items(items: ItemServiceDep, page: PaginationDep) -> ItemsPage:
    """One page of items, oldest first, with the total count."""
    return await items.page(limit=page.limit, offset=page.offset)


@router.get("/{item_id}", summary="Read an item", responses=NOT_FOUND)
async def read_item(item_id: int, items: ItemServiceDep) -> ItemRead:
    """One item, by id."""
    return await items.get(item_id)


@router.patch("/{item_id}", summary="Update an item", responses={**NOT_FOUND, **TAKEN})
async def update_item(
    item_id: int, data: ItemUpdate, items: ItemServiceDep
) -> ItemRead:
    """Change the fields sent; the others stay as they are."""
    return await items.update(item_id=item_id, data=data)


@router.delete(
    "/{item_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an item",
    responses=NOT_FOUND,
)
async def delete_item(item_id: int, items: ItemServiceDep) -> None:
    """Remove an item for good."""
    await items.delete(item_id)
