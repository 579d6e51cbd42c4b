"""Users over HTTP: sign-up is open, your own account is yours, the rest is for admins."""

from typing import Any

from fastapi import APIRouter, Depends, status

from app.dependencies import CurrentUser, PaginationDep, UserServiceDep, require_role
from app.schemas.users import UserCreate, UserRead, UsersPage, UserUpdate

router = APIRouter(prefix="/users", tags=["users"])
ADMIN_ONLY = [Depends(require_role("admin"))]
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such user"}}
TAKEN: dict[int | str, dict[str, Any]] = {409: {"description": "Email already taken"}}
SIGNED_IN: dict[int | str, dict[str, Any]] = {401: {"description": "Not signed in"}}
ADMIN: dict[int | str, dict[str, Any]] = {
    **SIGNED_IN,
    403: {"description": "Administrators only"},
}


@router.post(
    "", status_code=status.HTTP_201_CREATED, summary="Sign up", responses=TAKEN
)
async def create_user(data: UserCreate, users: UserServiceDep) -> UserRead:
    """Register an account. The password is stored as an argon2id hash."""
    return await users.create(data)


@router.get("/me", summary="Read your account", responses=SIGNED_IN)
async def read_me(user: CurrentUser, users: UserServiceDep) -> UserRead:
    """The signed-in user."""
    return await users.get(user.id)


@router.patch("/me", summary="Update your account", responses={**SIGNED_IN, **TAKEN})
async def update_me(
    data: UserUpdate, user: CurrentUser, users: UserServiceDep
) -> UserRead:
    """Change your own fields; the others stay as they are. A new password ends
    every session of yours, this one included: sign in again with it."""
    return await users.update(user_id=user.id, data=data)


@router.get("", summary="List users", dependencies=ADMIN_ONLY, responses=ADMIN)
async def list_users(users: UserServiceDep, page: PaginationDep) -> UsersPage:
    """One page of users, oldest first, with the total count."""
    return await users.page(limit=page.limit, offset=page.offset)


@router.get(
    "/{user_id}",
    summary="Read a user",
    dependencies=ADMIN_ONLY,
    responses={**ADMIN, **NOT_FOUND},
)
async def read_user(user_id: int, users: UserServiceDep) -> UserRead:
    """One user, by id."""
    return await users.get(user_id)


@router.patch(
    "/{user_id}",
    summary="Update a user",
    dependencies=ADMIN_ONLY,
    responses={**ADMIN, **NOT_FOUND, **TAKEN},
)
async def update_user(
    user_id: int, data: UserUpdate, users: UserServiceDep
) -> UserRead:
    """Change the fields sent; the others stay as they are. A new password ends
    every session of that user, who signs in again with it."""
    return await users.update(user_id=user_id, data=data)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a user",
    dependencies=ADMIN_ONLY,
    responses={**ADMIN, **NOT_FOUND},
)
async def delete_user(user_id: int, users: UserServiceDep) -> None:
    """Remove a user for good."""
    await users.delete(user_id)
