"""`workshop board`: serve the room's board and say how to reach it.

It binds where the instructor says (`--host`, `--port`). 127.0.0.1, the default,
is this machine only; `--host 0.0.0.0` is every network this machine is on, and
attendees then use the address printed, this machine's on the room's network.
"""

from __future__ import annotations

import asyncio
import os
import socket
from types import FrameType

import uvicorn
from fastapi import FastAPI

from workshop.project import WorkshopError
from workshop.room.app import create_app
from workshop.room.settings import BoardSettings

EVERYWHERE = ("0.0.0.0", "::", "")
GRACE = 2  # seconds for open pages to let go when it stops


def network_address() -> str | None:
    """This machine's address on the network it routes through (connecting a UDP
    socket sends no packet); None without a network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never a real host
            return probe.getsockname()[0]
        except OSError:
            return None


def public_url(settings: BoardSettings) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = settings.host
    if host in EVERYWHERE:
        host = network_address() or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def banner(settings: BoardSettings, url: str, code: str) -> str:
    lines = [
        f"The room's board: {url}/?code={code}  (open it on the projector)",
        "",
        "Attendees join once, in a notebook cell:",
        f'    join("{url}", "{code}", "their name")',
        "or in a terminal, in the workshop folder:",
        f'    workshop join {url} {code} "their name"',
        "",
        f"At the end, every try with its times as CSV: {url}/export.csv?code={code}",
        f"Results are kept in {settings.database}; Ctrl-C stops the board.",
    ]
    if settings.host in ("127.0.0.1", "localhost", "::1"):
        lines.append(
            "Only this machine can reach it: for the room, run "
            "`workshop board --host 0.0.0.0` (or this machine's address)."
        )
    return "\n".join(lines)


def listen(host: str, port: int) -> socket.socket:
    """The board's socket, bound before anything is printed: a port in use is
    said plainly, not after a banner that names an address nobody serves."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family, backlog=2048)
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise WorkshopError(
            f"cannot listen on {host}:{port} ({reason}): choose another --port, "
            "or stop what uses it."
        ) from None


class BoardServer(uvicorn.Server):
    """Ctrl-C first ends the pages' live streams, so the board stops at once."""

    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.app = app

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        room = getattr(self.app.state, "room", None)
        if room is not None:
            asyncio.get_running_loop().call_soon_threadsafe(room.close)


def serve(settings: BoardSettings, *, course: frozenset[int] | None = None) -> None:
    """Serve until Ctrl-C; `course` limits the columns to the lessons taught."""
    settings = settings.model_copy(update={"public_url": public_url(settings)})
    sock = listen(settings.host, settings.port)

    def say(url: str, code: str) -> None:
        print(banner(settings, url, code), flush=True)

    app = create_app(settings, course=course, on_open=say)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=GRACE,
    )
    BoardServer(config, app).run(sockets=[sock])
