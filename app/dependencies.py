"""What routes ask for with Depends(): services, storage and pagination, as types."""

from typing import Annotated

from fastapi import Depends, Query, Request

from app.repositories.items import ItemRepository
from app.repositories.users import UserRepository
from app.services.items import ItemService
from app.services.users import UserService

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


async def get_user_repository(request: Request) -> UserRepository:
    """Storage made by the lifespan; lesson 05 returns a database-backed one here."""
    return request.app.state.users


async def get_item_repository(request: Request) -> ItemRepository:
    """Storage made by the lifespan; lesson 05 returns a database-backed one here."""
    return request.app.state.items


UserRepositoryDep = Annotated[UserRepository, Depends(get_user_repository)]
ItemRepositoryDep = Annotated[ItemRepository, Depends(get_item_repository)]


async def get_user_service(users: UserRepositoryDep) -> UserService:
    return UserService(users)


async def get_item_service(items: ItemRepositoryDep) -> ItemService:
    return ItemService(items)


UserServiceDep = Annotated[UserService, Depends(get_user_service)]
ItemServiceDep = Annotated[ItemService, Depends(get_item_service)]


class Pagination:
    """?limit=&offset=, with bounds: no client can ask for everything at once."""

    def __init__(
        self,
        limit: Annotated[
            int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")
        ] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset


PaginationDep = Annotated[Pagination, Depends()]
