"""The board's app factory: settings in, an app out; the room opens with it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from workshop.room.errors import add_handlers
from workshop.room.headers import SecurityHeaders
from workshop.room.routes import PAGE, api, pages
from workshop.room.service import Room, known_exercises
from workshop.room.settings import BoardSettings, new_code, normal_code
from workshop.room.store import Store

MAX_BODY = 2048  # bytes: a join or a result is a few dozen

# Called once the room is open, with its address and code (to print them).
OnOpen = Callable[[str, str], None]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: BoardSettings = app.state.settings
    store = await Store.open(settings.database)
    try:
        wanted = normal_code(settings.code) if settings.code else None
        code = await store.code(wanted, new_code())
        url = settings.public_url or f"http://{settings.host}:{settings.port}"
        app.state.room = Room(
            store=store,
            settings=settings,
            code=code,
            url=url.rstrip("/"),
            exercises=app.state.exercises,
            course=app.state.course,
        )
        if app.state.on_open is not None:
            app.state.on_open(app.state.room.url, code)
        yield
    finally:
        await store.close()


def create_app(
    settings: BoardSettings | None = None,
    *,
    exercises: dict[str, str] | None = None,
    course: frozenset[int] | None = None,
    on_open: OnOpen | None = None,
) -> FastAPI:
    """The board. `exercises` (id → title) default to this checkout's; with a
    `course`, only its lessons' columns are shown."""
    app = FastAPI(
        title="The room's board",
        lifespan=lifespan,
        max_body_size=MAX_BODY,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings or BoardSettings()
    app.state.exercises = exercises if exercises is not None else known_exercises()
    app.state.course = course
    app.state.on_open = on_open
    add_handlers(app)
    app.add_middleware(SecurityHeaders)
    app.include_router(api)
    app.include_router(pages)
    app.mount("/static", StaticFiles(directory=PAGE / "static"), name="static")
    return app
