"""Requests handed to an ASGI app the way a server hands them, described as data.

A check chooses the requests (their headers and body chunks, and the order in
which requests sharing the app get their chunks); an observation replays them on
the attendee's app where it runs, and the check replays the same ones on the
solution's middleware in its own process. Both get plain data back, so the two
can be compared. Uvicorn's way: the last chunk ends the body (more_body false)
and may carry data; once the body is read, receive() waits for the answer to
end, then says the client left. A chunk is text, one character a byte (latin-1).
"""

from __future__ import annotations

import asyncio
from typing import Any

Message = dict[str, Any]


class Turns:
    """Requests sharing one app take turns reading their body, one chunk each,
    in `order` (a list of request numbers), as a server with several
    connections hands them over; a request that is done gives up its turns."""

    def __init__(self, order: list[int]) -> None:
        self.order, self.at, self.done = order, 0, set[int]()
        self.changed = asyncio.Condition()

    def _mine(self, who: int) -> bool:
        while self.at < len(self.order) and self.order[self.at] in self.done:
            self.at += 1
        return self.at >= len(self.order) or self.order[self.at] == who

    async def wait(self, who: int) -> None:
        async with self.changed:
            await self.changed.wait_for(lambda: self._mine(who))

    async def next(self, *, finished: int | None = None) -> None:
        async with self.changed:
            if finished is None:
                self.at += 1
            else:
                self.done.add(finished)
            self.changed.notify_all()


async def _one(app: Any, request: dict[str, Any], turns: Turns, who: int) -> Message:
    """Hand `request` to `app`; what the app sent, raised and pulled."""
    chunks = [chunk.encode("latin-1") for chunk in request["chunks"]]
    seen: Message = {"status": 0, "type": "", "body": "", "raised": "", "code": None}
    pulled, body = 0, b""
    answered = asyncio.Event()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.get("method", "POST"),
        "scheme": "http",
        "path": request["path"],
        "raw_path": request["path"].encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in [["host", "check"], *request["headers"]]
        ],
        "client": ("127.0.0.1", 40000 + who),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> Message:
        nonlocal pulled
        if pulled < len(chunks):
            await turns.wait(who)
            pulled += 1
            message = {
                "type": "http.request",
                "body": chunks[pulled - 1],
                "more_body": pulled < len(chunks),
            }
            await turns.next()
            return message
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal body
        if message["type"] == "http.response.start" and not seen["status"]:
            seen["status"] = int(message["status"])
            headers = dict(message.get("headers", []))
            seen["type"] = bytes(headers.get(b"content-type", b"")).decode("latin-1")
        if message["type"] == "http.response.body":
            body += bytes(message.get("body", b""))
            if not message.get("more_body"):
                answered.set()

    try:
        await app(scope, receive, send)
    except Exception as error:  # what a server would log, and answer 500 for
        code = getattr(error, "status_code", None)
        seen.update(
            raised=type(error).__name__, code=code if type(code) is int else None
        )
    finally:
        answered.set()
        await turns.next(finished=who)
    return {**seen, "body": body[:300].decode("utf-8", "replace"), "pulled": pulled}


async def serve(app: Any, batches: list[dict[str, Any]]) -> list[Message]:
    """Each batch's requests at once, taking turns in its "order" (default: one
    after the other's chunks); the batches one after another. What each request
    got, in order: status, content type and start of the body sent (status 0:
    nothing), the type and status code of what the app raised, chunks pulled."""
    seen: list[Message] = []
    for batch in batches:
        requests = batch["requests"]
        order = batch.get("order") or [
            who for who, r in enumerate(requests) for _ in r["chunks"]
        ]
        turns = Turns(list(order))
        seen += await asyncio.gather(
            *(_one(app, request, turns, who) for who, request in enumerate(requests))
        )
    return seen


async def read_body(scope: Message, receive: Any, send: Any) -> None:
    """An app that reads the whole body, as a route does, then answers 201 with
    the number of bytes it got; a client that left gets no answer."""
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return
        size += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    await send({"type": "http.response.start", "status": 201, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})
