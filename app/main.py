"""The application factory: the one place that assembles the service."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.config import Settings, get_settings
from app.http_errors import add_error_handlers
from app.repositories.items import InMemoryItemRepository
from app.repositories.users import InMemoryUserRepository
from app.routers import api_router, health

DESCRIPTION = """
The reference service of the **FastAPI in Production** workshop.

Every endpoint of the API lives under a versioned prefix; `/health` is for probes.
"""

TAGS = [
    {"name": "health", "description": "Probes for load balancers and orchestrators."},
    {"name": "meta", "description": "What this service is and which version runs."},
    {"name": "users", "description": "Accounts: create, read, list, update, delete."},
    {"name": "items", "description": "The catalogue, one item per SKU."},
]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start-up work goes before the yield, its clean-up after it."""
    app.state.users = InMemoryUserRepository()
    app.state.items = InMemoryItemRepository()
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title=settings.name,
        version=settings.version,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    add_error_handlers(app)
    app.include_router(health.router)
    app.include_router(api_router, prefix=settings.api_prefix)
    return app


app = create_app()
