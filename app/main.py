"""The application factory: the one place that assembles the service."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.clock import utc_now
from app.config import Settings, get_settings
from app.dependencies import get_throttle, get_user_service
from app.http_errors import add_error_handlers
from app.repositories.attempts import InMemoryAttemptRepository
from app.repositories.items import InMemoryItemRepository
from app.repositories.sessions import InMemorySessionRepository
from app.repositories.users import InMemoryUserRepository
from app.routers import api_router, health
from app.security.passwords import PasswordHasher

DESCRIPTION = """
The reference service of the **FastAPI in Production** workshop.

Every endpoint of the API lives under a versioned prefix; `/health` is for probes.
Sign up at `POST /api/v1/users`, then use **Authorize** with your email and password.
"""

TAGS = [
    {"name": "health", "description": "Probes for load balancers and orchestrators."},
    {"name": "meta", "description": "What this service is and which version runs."},
    {"name": "auth", "description": "Sign in, refresh the tokens, sign out."},
    {"name": "users", "description": "Accounts: sign up, your own, and admin tools."},
    {"name": "items", "description": "The catalogue, one item per SKU, per owner."},
]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start-up work goes before the yield, its clean-up after it."""
    settings: Settings = app.state.settings
    app.state.users = InMemoryUserRepository()
    app.state.items = InMemoryItemRepository()
    app.state.sessions = InMemorySessionRepository()
    app.state.attempts = InMemoryAttemptRepository()
    app.state.passwords = PasswordHasher(settings)
    if settings.first_admin_email and settings.first_admin_password:
        # Built by the same providers the routes use: one wiring, not two.
        throttle = await get_throttle(
            app.state.attempts, app.state.passwords, settings, utc_now
        )
        users = await get_user_service(
            app.state.users, app.state.passwords, app.state.sessions, throttle
        )
        await users.create_first_admin(
            email=settings.first_admin_email,
            password=settings.first_admin_password.get_secret_value(),
        )
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
