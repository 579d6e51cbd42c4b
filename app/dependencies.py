"""What routes ask for with Depends(): services, storage, pagination and the caller."""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.clock import Clock, utc_now
from app.config import Settings
from app.database import without_transaction
from app.errors import PermissionDenied
from app.models import Item, Role, User
from app.repositories.attempts import AttemptRepository, DatabaseAttemptRepository
from app.repositories.items import DatabaseItemRepository, ItemRepository
from app.repositories.sessions import DatabaseSessionRepository, SessionRepository
from app.repositories.users import DatabaseUserRepository, UserRepository
from app.security.passwords import PasswordHasher
from app.services.auth import AuthService
from app.services.items import ItemService
from app.services.throttle import Throttle
from app.services.users import UserService

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# The largest id a row can have: PostgreSQL's INTEGER (SQLite's hold 64 bits).
# A larger number in a path or a query is refused (422) before it reaches SQL,
# where it would raise (500) instead of matching nothing.
MAX_ID = 2**31 - 1
# The methods that only read (RFC 9110, section 9.2.1).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="The item's id.")]
UserId = Annotated[int, Path(ge=1, le=MAX_ID, description="The user's id.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="Items to skip.")]

# Where /docs sends the Authorize form. The app's OpenAPI document puts the app's
# own prefix in front of it (see app/main.py).
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="auth/token")
BearerToken = Annotated[str, Depends(oauth2_scheme)]


async def get_settings_of_app(request: Request) -> Settings:
    """The settings this app was built with (tests build apps with their own)."""
    return request.app.state.settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One database session per request: committed when the route returns, rolled
    back when it raises (the exception arrives at the yield, the commit is
    skipped, and closing the session rolls back).

    SessionDep declares it with scope="function": the commit runs after the route
    returns and before the response is sent. With the default scope, the response
    would go first, and a client could read 201 for a write whose commit failed.

    A GET only reads: on PostgreSQL its statements need no transaction.
    """
    async with request.app.state.sessionmaker() as session:
        if request.method in SAFE_METHODS:
            await without_transaction(session)
        yield session
        await session.commit()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


# The repositories work through the request's session; the services see only
# their protocols, as in lessons 03 and 04.


async def get_user_repository(session: SessionDep) -> UserRepository:
    return DatabaseUserRepository(session)


async def get_item_repository(session: SessionDep) -> ItemRepository:
    return DatabaseItemRepository(session)


async def get_session_repository(session: SessionDep) -> SessionRepository:
    return DatabaseSessionRepository(session)


async def get_attempt_repository(session: SessionDep) -> AttemptRepository:
    return DatabaseAttemptRepository(session)


async def get_password_hasher(request: Request) -> PasswordHasher:
    """One hasher per app, made by the lifespan: its limiter is shared."""
    return request.app.state.passwords


async def get_clock() -> Clock:
    """The time; tests override this to move it without sleeping."""
    return utc_now


async def get_client_address(request: Request) -> str:
    """Where the request comes from, for the throttle: the connection's address,
    or the client that trusted proxies name (app/middleware/proxies.py puts it in
    request.client)."""
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
    transaction: SessionDep,
) -> Throttle:
    return Throttle(
        attempts=attempts,
        passwords=passwords,
        settings=settings,
        clock=clock,
        transaction=transaction,
    )


ThrottleDep = Annotated[Throttle, Depends(get_throttle)]


async def get_user_service(
    users: UserRepositoryDep,
    passwords: PasswordHasherDep,
    sessions: SessionRepositoryDep,
    throttle: ThrottleDep,
    transaction: SessionDep,
) -> UserService:
    return UserService(
        users=users,
        passwords=passwords,
        sessions=sessions,
        throttle=throttle,
        transaction=transaction,
    )


async def get_item_service(items: ItemRepositoryDep) -> ItemService:
    return ItemService(items)


async def get_auth_service(
    users: UserRepositoryDep,
    sessions: SessionRepositoryDep,
    throttle: ThrottleDep,
    settings: SettingsDep,
    transaction: SessionDep,
) -> AuthService:
    return AuthService(
        users=users,
        sessions=sessions,
        throttle=throttle,
        settings=settings,
        transaction=transaction,
    )


UserServiceDep = Annotated[UserService, Depends(get_user_service)]
ItemServiceDep = Annotated[ItemService, Depends(get_item_service)]
AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]


async def get_current_user(token: BearerToken, auth: AuthServiceDep) -> User:
    """The signed-in user, or 401: no token, a bad one, or an ended session."""
    return await auth.current_user(token)


CurrentUser = Annotated[User, Depends(get_current_user)]


def require_role(*roles: Role) -> Callable[..., Awaitable[User]]:
    """A dependency that lets through signed-in users with one of `roles` (else 403)."""

    async def user_with_role(user: CurrentUser) -> User:
        if user.role not in roles:
            raise PermissionDenied("Your account does not have the role this needs.")
        return user

    return user_with_role


async def owned_item(item_id: ItemId, user: CurrentUser, items: ItemServiceDep) -> Item:
    """The item in the path, if the caller may see it; 404 otherwise."""
    return await items.owned(item_id, user=user)


OwnedItem = Annotated[Item, Depends(owned_item)]


@dataclass(frozen=True)
class Pagination:
    """Which page a client asked for: `limit` items after the first `offset`."""

    limit: int
    offset: int


async def get_pagination(
    request: Request,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")
    ] = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Pagination:
    """?limit=&offset=, with bounds: no client can ask for everything at once.

    FastAPI keeps the last of a repeated parameter, so `?offset=x&offset=0` would
    pass while a proxy or a log reads the first: a repeated one is refused.
    """
    query = request.query_params
    repeated = [name for name in ("limit", "offset") if len(query.getlist(name)) > 1]
    if repeated:
        raise RequestValidationError(
            [
                {
                    "type": "repeated",
                    "loc": ("query", name),
                    "msg": "Give this parameter once",
                    "input": query.getlist(name),
                }
                for name in repeated
            ]
        )
    return Pagination(limit=limit, offset=offset)


PaginationDep = Annotated[Pagination, Depends(get_pagination)]
