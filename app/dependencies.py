"""What routes ask for with Depends(): services, storage, pagination and the caller."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer

from app.clock import Clock, utc_now
from app.config import Settings
from app.errors import PermissionDenied
from app.repositories.attempts import AttemptRepository
from app.repositories.items import ItemRecord, ItemRepository
from app.repositories.sessions import SessionRepository
from app.repositories.users import Role, UserRecord, UserRepository
from app.security.passwords import PasswordHasher
from app.services.auth import AuthService
from app.services.items import ItemService
from app.services.throttle import Throttle
from app.services.users import UserService

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

# Where /docs sends the Authorize form; keep it in step with settings.api_prefix.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token")
BearerToken = Annotated[str, Depends(oauth2_scheme)]


async def get_settings_of_app(request: Request) -> Settings:
    """The settings this app was built with (tests build apps with their own)."""
    return request.app.state.settings


# Storage and the hasher are made by the lifespan, one of each per app. Lesson 05
# returns database-backed repositories from these providers; nothing above changes.


async def get_user_repository(request: Request) -> UserRepository:
    return request.app.state.users


async def get_item_repository(request: Request) -> ItemRepository:
    return request.app.state.items


async def get_session_repository(request: Request) -> SessionRepository:
    return request.app.state.sessions


async def get_attempt_repository(request: Request) -> AttemptRepository:
    return request.app.state.attempts


async def get_password_hasher(request: Request) -> PasswordHasher:
    return request.app.state.passwords


async def get_clock() -> Clock:
    """The time; tests override this to move it without sleeping."""
    return utc_now


async def get_client_address(request: Request) -> str:
    """Where the request comes from, for the throttle. Behind a proxy this is the
    proxy's address; lesson 08 decides when to believe X-Forwarded-For."""
    return request.client.host if request.client else "unknown"


SettingsDep = Annotated[Settings, Depends(get_settings_of_app)]
UserRepositoryDep = Annotated[UserRepository, Depends(get_user_repository)]
ItemRepositoryDep = Annotated[ItemRepository, Depends(get_item_repository)]
SessionRepositoryDep = Annotated[SessionRepository, Depends(get_session_repository)]
AttemptRepositoryDep = Annotated[AttemptRepository, Depends(get_attempt_repository)]
PasswordHasherDep = Annotated[PasswordHasher, Depends(get_password_hasher)]
ClockDep = Annotated[Clock, Depends(get_clock)]
ClientAddress = Annotated[str, Depends(get_client_address)]


async def get_throttle(
    attempts: AttemptRepositoryDep,
    passwords: PasswordHasherDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Throttle:
    return Throttle(
        attempts=attempts, passwords=passwords, settings=settings, clock=clock
    )


ThrottleDep = Annotated[Throttle, Depends(get_throttle)]


async def get_user_service(
    users: UserRepositoryDep,
    passwords: PasswordHasherDep,
    sessions: SessionRepositoryDep,
    throttle: ThrottleDep,
) -> UserService:
    return UserService(
        users=users, passwords=passwords, sessions=sessions, throttle=throttle
    )


async def get_item_service(items: ItemRepositoryDep) -> ItemService:
    return ItemService(items)


async def get_auth_service(
    users: UserRepositoryDep,
    sessions: SessionRepositoryDep,
    throttle: ThrottleDep,
    settings: SettingsDep,
) -> AuthService:
    return AuthService(
        users=users, sessions=sessions, throttle=throttle, settings=settings
    )


UserServiceDep = Annotated[UserService, Depends(get_user_service)]
ItemServiceDep = Annotated[ItemService, Depends(get_item_service)]
AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]


async def get_current_user(token: BearerToken, auth: AuthServiceDep) -> UserRecord:
    """The signed-in user, or 401: no token, a bad one, or an ended session."""
    return await auth.current_user(token)


CurrentUser = Annotated[UserRecord, Depends(get_current_user)]


def require_role(*roles: Role) -> Callable[..., Awaitable[UserRecord]]:
    """A dependency that lets through signed-in users with one of `roles` (else 403)."""

    async def user_with_role(user: CurrentUser) -> UserRecord:
        if user.role not in roles:
            raise PermissionDenied("Your account does not have the role this needs.")
        return user

    return user_with_role


async def owned_item(
    item_id: int, user: CurrentUser, items: ItemServiceDep
) -> ItemRecord:
    """The item in the path, if the caller may see it; 404 otherwise."""
    return await items.owned(item_id, user=user)


OwnedItem = Annotated[ItemRecord, Depends(owned_item)]


@dataclass(frozen=True)
class Pagination:
    """Which page a client asked for: `limit` items after the first `offset`."""

    limit: int
    offset: int


async def get_pagination(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")
    ] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Pagination:
    """?limit=&offset=, with bounds: no client can ask for everything at once."""
    return Pagination(limit=limit, offset=offset)


PaginationDep = Annotated[Pagination, Depends(get_pagination)]
