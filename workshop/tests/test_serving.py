"""Requests handed to an ASGI app as a server hands them (workshop.exercises.serving).

The checks of lesson 06 judge the body limit by what these replays report, so
the replay itself must be what it says: chunks in the order given, the last one
ending the body, the client gone only once the answer is sent.
"""

from __future__ import annotations

import asyncio
from typing import Any

from workshop.exercises import serving


def _request(*chunks: str) -> dict[str, Any]:
    return {
        "path": "/p",
        "headers": [["content-type", "text/plain"]],
        "chunks": list(chunks),
    }


def test_requests_take_turns_in_the_order_given_and_the_last_chunk_ends_the_body() -> (
    None
):
    heard: list[tuple[int, bytes, bool]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        who = scope["client"][1] - 40000
        while True:
            message = await receive()
            heard.append((who, message["body"], message["more_body"]))
            if not message["more_body"]:
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"done"})

    batch = {
        "requests": [_request("a", "b"), _request("x", "y", "")],
        "order": [1, 0, 1, 1, 0],
    }
    seen = asyncio.run(serving.serve(app, [batch]))
    assert heard == [
        (1, b"x", True),
        (0, b"a", True),
        (1, b"y", True),
        (1, b"", False),
        (0, b"b", False),
    ]
    assert [(s["status"], s["body"], s["pulled"]) for s in seen] == [
        (200, "done", 2),
        (200, "done", 3),
    ]


def test_what_an_app_raised_is_said_with_its_status_code_and_the_chunks_it_pulled() -> (
    None
):
    class Refused(Exception):
        status_code = 413

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        raise Refused("too large")

    [seen] = asyncio.run(serving.serve(app, [{"requests": [_request("a", "b", "c")]}]))
    assert (seen["status"], seen["raised"], seen["code"], seen["pulled"]) == (
        0,
        "Refused",
        413,
        1,
    )


def test_the_reading_app_counts_every_byte_and_the_client_leaves_after_the_answer() -> (
    None
):
    after: list[dict[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await serving.read_body(scope, receive, send)
        after.append(await receive())

    body = "".join(chr(n) for n in range(256))  # every byte, one character each
    [seen] = asyncio.run(
        serving.serve(app, [{"requests": [_request(body[:100], body[100:])]}])
    )
    assert (seen["status"], seen["body"], seen["pulled"]) == (201, "256", 2)
    assert after == [{"type": "http.disconnect"}]
