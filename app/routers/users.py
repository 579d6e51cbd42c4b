"""Users over HTTP: sign-up is open, your own account is yours, the rest is for admins."""

from fastapi import APIRouter, Depends, status

from app.dependencies import (
    ClientAddress,
    CurrentUser,
    PaginationDep,
    UserId,
    UserServiceDep,
    require_role,
)
from app.middleware.body_limit import body_limit
from app.repositories.users import Role
from app.routers.responses import ADMINS_ONLY, SIGNED_IN, TOO_MANY, problem
from app.schemas.users import (
    UserCreate,
    UserRead,
    UserSelfUpdate,
    UsersPage,
    UserUpdate,
)

router = APIRouter(prefix="/users", tags=["users"])
ADMIN_ONLY = [Depends(require_role(Role.ADMIN))]
NOT_FOUND = problem(404, "No such user")
TAKEN = problem(409, "Email already taken")
LAST_ADMIN = problem(409, "The last administrator")
WEAK = problem(422, "Not valid, or the password contains the email's name")
CONFIRM = problem(403, "A new email or password needs the right current_password")
# Sign-up is open to anyone: its own limit, checked before the body's fields are
# validated. The largest valid one (an email of 254 characters, a name of 100, a
# password of 128, each character at most 12 bytes as JSON escapes it) is < 6 KB.
SIGN_UP_MAX_BYTES = 8 * 1024


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Sign up",
    responses={**TAKEN, **TOO_MANY},
    dependencies=[Depends(body_limit(SIGN_UP_MAX_BYTES))],
)
async def create_user(
    data: UserCreate, users: UserServiceDep, client: ClientAddress
) -> UserRead:
    """Register an account. The password is stored as an argon2id hash."""
    return await users.create(data, client=client)


@router.get("/me", summary="Read your account", responses=SIGNED_IN)
async def read_me(user: CurrentUser, users: UserServiceDep) -> UserRead:
    """The signed-in user."""
    return await users.get(user.id)


@router.patch(
    "/me",
    summary="Update your account",
    responses={**SIGNED_IN, **CONFIRM, **TAKEN, **WEAK, **TOO_MANY},
)
async def update_me(
    data: UserSelfUpdate,
    user: CurrentUser,
    users: UserServiceDep,
    client: ClientAddress,
) -> UserRead:
    """Change your own fields; the others stay as they are. A new email or password
    needs `current_password`. A new password ends every session of yours, this
    one included: sign in again with it."""
    return await users.update_me(user=user, data=data, client=client)


@router.get("", summary="List users", dependencies=ADMIN_ONLY, responses=ADMINS_ONLY)
async def list_users(users: UserServiceDep, page: PaginationDep) -> UsersPage:
    """One page of users, oldest first, with the total count."""
    return await users.page(limit=page.limit, offset=page.offset)


@router.get(
    "/{user_id:int}",
    summary="Read a user",
    dependencies=ADMIN_ONLY,
    responses={**ADMINS_ONLY, **NOT_FOUND},
)
async def read_user(user_id: UserId, users: UserServiceDep) -> UserRead:
    """One user, by id."""
    return await users.get(user_id)


@router.patch(
    "/{user_id:int}",
    summary="Update a user",
    dependencies=ADMIN_ONLY,
    responses={**ADMINS_ONLY, **NOT_FOUND, **TAKEN, **WEAK},
)
async def update_user(
    user_id: UserId, data: UserUpdate, users: UserServiceDep, admin: CurrentUser
) -> UserRead:
    """Change the fields sent; the others stay as they are. A new password ends
    every session of that user, who signs in again with it. Your own email and
    password change at /users/me, with your current password (403 here)."""
    return await users.update(user_id=user_id, data=data, by=admin)


@router.delete(
    "/{user_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a user",
    dependencies=ADMIN_ONLY,
    responses={**ADMINS_ONLY, **NOT_FOUND, **LAST_ADMIN},
)
async def delete_user(user_id: UserId, users: UserServiceDep) -> None:
    """Remove a user for good; never the last administrator (409)."""
    await users.delete(user_id)
