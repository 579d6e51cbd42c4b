"""Request bodies up to a limit: larger ones get 413 before they are read in full.

A body announced larger than the limit (Content-Length) is refused before the
app runs at all. A body without a length (chunked) is counted as it arrives, and
refused at the chunk that crosses the limit: the app never holds more than that.
"""

from collections.abc import Awaitable, Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http_errors import phrase
from app.problems import problem_response


class ContentTooLarge(HTTPException):
    """413 (RFC 9110 §15.5.14): raised while the body is read, so the app's own
    handler for HTTPException answers it, in the same format as everything else."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body may hold at most {limit} bytes.")


def body_limit(max_bytes: int) -> Callable[[Request], Awaitable[None]]:
    """A route's own limit, below the app's: a dependency, so it answers 413 once
    FastAPI has decoded the JSON and before the body's fields are validated. The
    middleware still caps what is read, announced or not, at the app's limit."""

    async def within_route_limit(request: Request) -> None:
        if len(await request.body()) > max_bytes:
            raise ContentTooLarge(max_bytes)

    return within_route_limit


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            too_large = ContentTooLarge(self.max_bytes)
            response = problem_response(
                Request(scope), 413, title=phrase(413), detail=str(too_large.detail)
            )
            await response(scope, receive, send)  # the app never runs
            return
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise ContentTooLarge(self.max_bytes)
            return message

        await self.app(scope, receive_within_limit, send)
