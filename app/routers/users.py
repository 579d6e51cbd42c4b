"""Users over HTTP. Each route is one service call; the rules live in services/users.py."""

from typing import Any

from fastapi import APIRouter, status

from app.dependencies import PaginationDep, UserServiceDep
from app.schemas.users import UserCreate, UserRead, UsersPage, UserUpdate

router = APIRouter(prefix="/users", tags=["users"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such user"}}
TAKEN: dict[int | str, dict[str, Any]] = {409: {"description": "Email already taken"}}


@router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Create a user", responses=TAKEN
)
async def create_user(data: UserCreate, users: UserServiceDep) -> UserRead:
    """Register a user. The password is stored hashed and never returned."""
    return await users.create(data)


@router.get("", summary="List users")
async def list_users(users: UserServiceDep, page: PaginationDep) -> UsersPage:
    """One page of users, oldest first, with the total count."""
    return await users.page(limit=page.limit, offset=page.offset)


@router.get("/{user_id}", summary="Read a user", responses=NOT_FOUND)
async def read_user(user_id: int, users: UserServiceDep) -> UserRead:
    """One user, by id."""
    return await users.get(user_id)


@router.patch("/{user_id}", summary="Update a user", responses={**NOT_FOUND, **TAKEN})
async def update_user(
    user_id: int, data: UserUpdate, users: UserServiceDep
) -> UserRead:
    """Change the fields sent; the others stay as they are."""
    return await users.update(user_id=user_id, data=data)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a user",
    responses=NOT_FOUND,
)
async def delete_user(user_id: int, users: UserServiceDep) -> None:
    """Remove a user for good."""
    await users.delete(user_id)
