"""The board's routes: thin, each a few lines over the room's service.

Attendees post (`/api/join`, `/api/results`) with the room's code; the page, its
live stream and the CSV need the code too, kept in a cookie once the board was
opened as `/?code=...`; the CSV also takes it as `?code=`, for a script or a
browser that did not open the board.
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import AsyncIterable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.sse import EventSourceResponse, ServerSentEvent

from workshop.room.errors import WrongCode
from workshop.room.schemas import Grid, Joined, JoinRequest, ResultIn
from workshop.room.service import Room

PAGE = Path(__file__).with_name("page")
COOKIE = "room_code"
COALESCE = 0.25  # seconds: forty results at once make one update, not forty
HANDIN_LIMIT = 200 * 1024 * 1024  # the most a setting allows; the room's is checked


def get_room(request: Request) -> Room:
    return request.app.state.room


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


bearer = HTTPBearer(auto_error=False, description="the token `join` gave you")


def attendee_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str | None:
    return credentials.credentials if credentials else None


RoomDep = Annotated[Room, Depends(get_room)]
Client = Annotated[str, Depends(client_address)]
Token = Annotated[str | None, Depends(attendee_token)]


def viewer(request: Request, room: RoomDep, client: Client) -> None:
    """The page's data is for the room: the code, from the cookie."""
    room.admit(request.cookies.get(COOKIE), client)


def reader(
    request: Request, room: RoomDep, client: Client, code: str | None = None
) -> None:
    """The export: the code from the cookie, or from `?code=`."""
    room.admit(code or request.cookies.get(COOKIE), client)


api = APIRouter(prefix="/api")
pages = APIRouter(include_in_schema=False)


@api.post("/join", status_code=201, summary="Join the room with its code")
async def join(body: JoinRequest, room: RoomDep, client: Client) -> Joined:
    return await room.join(body, client)


@api.post("/results", status_code=204, summary="Send one check's result")
async def post_result(
    body: ResultIn, room: RoomDep, token: Token, client: Client
) -> None:
    await room.post(body, token, client)


@api.post(
    "/handins",
    status_code=201,
    summary="Hand in the zip `workshop submit` wrote",
    max_body_size=HANDIN_LIMIT,
)
async def hand_in(
    request: Request, room: RoomDep, token: Token, client: Client, code: str
) -> dict[str, str]:
    file = await room.hand_in(request.stream(), code, token, client)
    return {"file": file}


@api.get("/grid", dependencies=[Depends(viewer)], summary="The grid, once")
async def grid(room: RoomDep) -> Grid:
    return await room.grid()


@api.get(
    "/events",
    response_class=EventSourceResponse,
    dependencies=[Depends(viewer)],
    summary="The grid, again whenever it changes",
)
async def events(room: RoomDep) -> AsyncIterable[ServerSentEvent]:
    seen = -1
    while not room.closing:
        seen = await room.changes.wait(seen, room.settings.refresh_seconds)
        if room.closing:
            return
        yield ServerSentEvent(data=await room.grid(), event="grid")
        await asyncio.sleep(COALESCE)


@pages.get("/")
async def board(
    request: Request, room: RoomDep, client: Client, code: str | None = None
) -> Response:
    """With `?code=`, remember the code and show the board; without, the board
    if the cookie holds the code, else a form that asks for it."""
    if code is not None:
        try:
            room.admit(code, client)
        except WrongCode:
            return FileResponse(PAGE / "enter.html", status_code=403)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(
            COOKIE, room.code, max_age=24 * 3600, httponly=True, samesite="strict"
        )
        return response
    chosen = "board.html" if room.is_code(request.cookies.get(COOKIE)) else "enter.html"
    return FileResponse(PAGE / chosen)


@pages.get("/export.csv", dependencies=[Depends(reader)])
async def export(room: RoomDep) -> Response:
    day = datetime.date.today().isoformat()
    return Response(
        await room.csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="room-{day}.csv"'},
    )


@pages.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
