"""The same-work floor: our signed-in item list, written by hand on Starlette and asyncpg.

    APP_DATABASE_URL=... APP_SECRET_KEY=... APP_DB_POOL_SIZE=16 \\
        uvicorn benchmarks.same_work:app

GET /api/v1/items?limit=&offset= does the work our route does, and nothing else:
checks the bearer token with PyJWT (the same algorithm, claims and key as
app/security/tokens.py), reads the session with its user in one query, and the
page with its total in one more, on a pool of APP_DB_POOL_SIZE connections
opened at start-up. No ORM, no dependency injection, no validation library: what
our list costs beyond this is what our code and its libraries cost, so `make
bench` divides our rate by this one (the bare route is the ceiling no database
route reaches). It serves the benchmark only; nothing in app/ uses it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ISSUER, AUDIENCE = "fastapi-in-production", "fastapi-in-production-api"
REQUIRED = ["iss", "aud", "sub", "sid", "type", "jti", "iat", "exp"]
USER_OF_OPEN_SESSION = """
    SELECT users.id, users.role FROM users JOIN sessions ON sessions.user_id = users.id
    WHERE sessions.id = $1 AND NOT sessions.revoked"""
PAGE_WITH_TOTAL = """
    SELECT id, name, description, price_cents, sku,
           (SELECT count(*) FROM items WHERE owner_id = $1) AS total
    FROM items WHERE owner_id = $1 ORDER BY id LIMIT $2 OFFSET $3"""
PAGE_WITH_TOTAL_ADMIN = """
    SELECT id, name, description, price_cents, sku,
           (SELECT count(*) FROM items) AS total
    FROM items ORDER BY id LIMIT $1 OFFSET $2"""
TOTAL = "SELECT count(*) FROM items WHERE owner_id = $1"
TOTAL_ADMIN = "SELECT count(*) FROM items"
UNAUTHENTICATED = JSONResponse({"detail": "Not authenticated"}, status_code=401)


def dsn() -> str:
    """Our service's database URL, as asyncpg takes it."""
    return os.environ["APP_DATABASE_URL"].replace(
        "postgresql+asyncpg://", "postgresql://"
    )


def bounded(value: str | None, default: int, low: int, high: int) -> int | None:
    """A query parameter as our route bounds it; None when it is out of bounds."""
    try:
        number = default if value is None else int(value)
    except ValueError:
        return None
    return number if low <= number <= high else None


async def list_items(request: Request) -> Response:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return UNAUTHENTICATED
    try:
        claims = jwt.decode(
            token,
            request.app.state.key,
            algorithms=["HS256"],
            issuer=ISSUER,
            audience=AUDIENCE,
            options={"require": REQUIRED},
        )
    except jwt.InvalidTokenError:
        return UNAUTHENTICATED
    if claims["type"] != "access":
        return UNAUTHENTICATED
    limit = bounded(request.query_params.get("limit"), 20, 1, 100)
    offset = bounded(request.query_params.get("offset"), 0, 0, 2**31 - 1)
    if limit is None or offset is None:
        return JSONResponse({"detail": "Invalid page"}, status_code=422)
    async with request.app.state.pool.acquire() as connection:
        user = await connection.fetchrow(USER_OF_OPEN_SESSION, int(claims["sid"]))
        if user is None or user["id"] != int(claims["sub"]):
            return UNAUTHENTICATED
        admin = user["role"] == "admin"
        if admin:
            rows = await connection.fetch(PAGE_WITH_TOTAL_ADMIN, limit, offset)
        else:
            rows = await connection.fetch(PAGE_WITH_TOTAL, user["id"], limit, offset)
        if rows:
            total = rows[0]["total"]
        else:  # past the last page: no row to carry the total
            total = await (
                connection.fetchval(TOTAL_ADMIN)
                if admin
                else connection.fetchval(TOTAL, user["id"])
            )
    items = [
        {
            name: row[name]
            for name in ("id", "name", "description", "price_cents", "sku")
        }
        for row in rows
    ]
    page = {"items": items, "total": total, "limit": limit, "offset": offset}
    return JSONResponse(page)


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    size = int(os.environ.get("APP_DB_POOL_SIZE", "5"))
    app.state.key = os.environ["APP_SECRET_KEY"]
    app.state.pool = await asyncpg.create_pool(dsn(), min_size=size, max_size=size)
    try:
        yield
    finally:
        await app.state.pool.close()


app = Starlette(
    routes=[Route("/api/v1/items", list_items), Route("/health", health)],
    lifespan=lifespan,
)
