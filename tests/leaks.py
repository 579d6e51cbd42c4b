"""No answer gives away what it must not: a Python traceback, or a password the
request sent.

`NoLeaks` wraps the app both clients call. It reads the password fields of each
request's body (JSON or form) and the whole answer, and fails the test whose
request got an answer that holds one of them, or a traceback: every test of the
suite checks it, on every route, without a line of its own.
"""

import json
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECRET_FIELDS = ("password", "current_password", "new_password")
TRACEBACK = b"Traceback (most recent call last)"
SHORTEST = 8  # a shorter value could be found in an answer by chance


def sent_secrets(body: bytes, content_type: str) -> list[bytes]:
    """The values of the password fields a request body holds."""
    values: list[Any] = []
    if content_type.startswith("application/json"):
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # not JSON, or too deep to read
            return []
        if isinstance(data, dict):
            values = [data.get(field) for field in SECRET_FIELDS]
    elif content_type.startswith("application/x-www-form-urlencoded"):
        form = parse_qs(body.decode("latin-1"))
        values = [value for field in SECRET_FIELDS for value in form.get(field, [])]
    return [
        value.encode()
        for value in values
        if isinstance(value, str) and len(value) >= SHORTEST
    ]


class NoLeaks:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        """The wrapped app's attributes (`state`, `dependency_overrides`...)."""
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent, answer = bytearray(), bytearray()

        async def reading() -> Message:
            message = await receive()
            sent.extend(message.get("body", b""))
            return message

        async def writing(message: Message) -> None:
            answer.extend(message.get("body", b""))
            await send(message)

        await self.app(scope, reading, writing)
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        where = f"{scope['method']} {scope['path']}"
        assert TRACEBACK not in answer, f"{where} answered with a traceback"
        for secret in sent_secrets(bytes(sent), content_type):
            assert secret not in answer, f"{where} repeated a password it was sent"
