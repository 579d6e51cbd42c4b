"""The application factory: the one place that assembles the service."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.routing import Route

from app.clock import utc_now
from app.config import Settings
from app.config_check import UnsafeSettings, check_settings, get_settings
from app.database import create_engine, create_sessionmaker
from app.dependencies import (
    get_attempt_repository,
    get_session_repository,
    get_throttle,
    get_user_repository,
    get_user_service,
)
from app.http_errors import add_error_handlers
from app.middleware.body_limit import BodyLimitMiddleware
from app.middleware.hosts import TrustedHostMiddleware
from app.middleware.proxies import ForwardedForMiddleware
from app.middleware.request_id import HEADER as REQUEST_ID
from app.middleware.request_id import RequestIdMiddleware
from app.observability.metrics import PATH as METRICS_PATH
from app.observability.metrics import EveryMethod, HttpMetrics, metrics_endpoint
from app.observability.requests import RequestObserver
from app.observability.tracing import trace_queries, trace_requests, tracer_provider
from app.openapi import openapi_document
from app.routers import api_router, health
from app.routers.responses import EVERY_ROUTE
from app.security.passwords import PasswordHasher
from app.services.users import UserService

logger = logging.getLogger("app")

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
    """Start-up work goes before the yield, its clean-up after it.

    Tables are not created here: the migrations own the schema (run
    `alembic upgrade head` before the service starts).
    """
    settings: Settings = app.state.settings
    if settings.environment == "development" and "secret_key" not in (
        settings.model_fields_set
    ):
        logger.warning(
            "APP_SECRET_KEY is not set: tokens are signed with a key made for this "
            "process, and stop working when it restarts. Set it in .env to keep them."
        )
    app.state.engine = create_engine(settings)
    if app.state.tracer_provider is not None:
        trace_queries(app.state.engine, app.state.tracer_provider)
    app.state.sessionmaker = create_sessionmaker(app.state.engine)
    app.state.passwords = PasswordHasher(settings)
    try:
        await create_first_admin(app)
        # What start-up made lives as long as the app: no collection need walk it.
        gc.freeze()
        yield
    finally:
        gc.unfreeze()  # the app is going: the collector may take it
        await app.state.engine.dispose()  # close the pool's connections
        app.state.passwords.close()
        if app.state.tracer_provider is not None and app.state.owns_tracer_provider:
            app.state.tracer_provider.shutdown()  # send the spans still waiting


async def create_first_admin(app: FastAPI) -> None:
    """The administrator named in the settings, when both are set.

    A worker may start while the database is down (workers are replaced during
    an outage too). That must not stop it from booting: Gunicorn's master gives
    up for good when a worker fails to boot. Readiness says 503 meanwhile, and
    the next worker that starts with the database up creates the account.
    """
    settings: Settings = app.state.settings
    if not (settings.first_admin_email and settings.first_admin_password):
        return
    try:
        async with app.state.sessionmaker() as session:
            users = await user_service(app, session)
            await users.create_first_admin(
                email=settings.first_admin_email,
                password=settings.first_admin_password.get_secret_value(),
            )
            await session.commit()
    except (OSError, TimeoutError, SQLAlchemyError) as error:
        logger.warning("the first administrator was not created: %r", error)


async def user_service(app: FastAPI, session: AsyncSession) -> UserService:
    """The user service outside a request, built by the providers the routes use:
    one wiring, not two."""
    settings, passwords = app.state.settings, app.state.passwords
    attempts = await get_attempt_repository(session)
    throttle = await get_throttle(attempts, passwords, settings, utc_now, session)
    return await get_user_service(
        await get_user_repository(session),
        passwords,
        await get_session_repository(session),
        throttle,
        session,
    )


def documentation_urls(settings: Settings) -> dict[str, Any]:
    """Where /docs, /redoc and /openapi.json are served; None turns one off."""
    shown = settings.docs_enabled
    if shown is None:
        shown = settings.environment != "production"
    urls = {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}
    return urls if shown else dict.fromkeys(urls)


def create_app(
    settings: Settings | None = None, *, tracing: TracerProvider | None = None
) -> FastAPI:
    """The service for `settings` (default: from the environment, checked); a
    production service with unsafe settings is refused (UnsafeSettings).
    `tracing` replaces the provider the settings choose (tests pass one)."""
    settings = settings or get_settings()
    check_settings(settings)
    app = FastAPI(
        title=settings.name,
        version=settings.version,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        responses=EVERY_ROUTE,
        # FastAPI's own OpenTelemetry, off: it would look for a global provider
        # on every request, and the tracing below is this service's.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        **documentation_urls(settings),
    )
    app.state.settings = settings
    app.state.tracer_provider = tracing or tracer_provider(settings)
    app.state.owns_tracer_provider = tracing is None
    add_error_handlers(app)
    # The last added runs first: every request gets its id, then its real client
    # address, then it is logged and measured, then the host, CORS and size checks.
    # The request's trace span, when tracing is on, is around all of them.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=[REQUEST_ID],
        )
    if "*" not in settings.trusted_hosts:  # "*" answers every host name
        app.add_middleware(TrustedHostMiddleware, hosts=settings.trusted_hosts)
    metrics = HttpMetrics() if settings.metrics_enabled else None
    if metrics is not None:
        app.state.metrics = metrics
        every_method = EveryMethod(metrics_endpoint)
        app.routes.append(Route(METRICS_PATH, every_method, include_in_schema=False))
    app.add_middleware(RequestObserver, metrics=metrics)
    if settings.trusted_proxies:
        app.add_middleware(ForwardedForMiddleware, proxies=settings.trusted_proxies)
    app.add_middleware(RequestIdMiddleware)
    app.include_router(health.router)
    app.include_router(api_router, prefix=settings.api_prefix)
    app.openapi = partial(openapi_document, app)  # type: ignore[method-assign]
    if app.state.tracer_provider is not None:
        trace_requests(app, app.state.tracer_provider)
    return app


try:
    app = create_app()
except UnsafeSettings as refused:  # a real start: the lines, no traceback, status 1
    raise SystemExit(str(refused)) from None
