"""What lesson 10's checks observe where the app runs (workshop.exercises.lesson10).

Requests asked of an app through a socket of a given port (TestClient's base
URL sets the ASGI scope's server), GET /metrics driven as raw ASGI messages as
if it came through a Unix socket, and a log line rendered by the app's JSON
formatter inside a span of given ids. Each returns what came back, as text and
numbers; the check judges it.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import MutableMapping
from typing import Any

from workshop.checking import app_settings, observation


@observation
def answers_on_port(
    settings: dict[str, Any],
    port: int,
    asked: list[list[Any]],
    client: str = "testclient",
) -> list[dict[str, Any]]:
    """Each [method, path, host, headers] asked of an app built with `settings`,
    through a socket of `port`, by a client at the address `client` (host: the
    Host header, "" for the client's own; headers: more of them, optional): its
    status, headers and body."""
    from fastapi.testclient import TestClient

    from app.main import create_app

    app = create_app(app_settings(**settings))
    seen = []
    with TestClient(
        app,
        base_url=f"http://testserver:{port}",
        raise_server_exceptions=False,
        client=(client, 50000),
    ) as api:
        for method, path, host, *more in asked:
            headers = {"Host": host} if host else {}
            response = api.request(method, path, headers={**headers, **dict(*more)})
            seen.append(
                {
                    "status": response.status_code,
                    "headers": [[k, v] for k, v in response.headers.multi_items()],
                    "body": response.text,
                }
            )
    return seen


@observation
def metrics_on_a_unix_socket(settings: dict[str, Any]) -> dict[str, Any]:
    """GET /metrics asked of an app built with `settings` through a Unix socket:
    an ASGI scope whose `server` is None, as the ASGI specification allows. The
    status it started its answer with (None: it started none), or what it
    raised."""
    from app.main import create_app

    app = create_app(app_settings(**settings))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/metrics",
        "raw_path": b"/metrics",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"localhost")],
        "client": None,
        "server": None,
    }
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(int(message["status"]))

    try:
        asyncio.run(app(scope, receive, send))
    except Exception as error:
        return {"status": None, "raised": f"{type(error).__name__}: {error}"[:200]}
    return {"status": statuses[0] if statuses else None, "raised": ""}


@observation
def log_line(trace_id: int | None, span_id: int, sampled: bool = True) -> str:
    """What the app's JSON formatter writes for one line logged inside a span
    with these ids, sampled or not (outside any span, when trace_id is None)."""
    from opentelemetry import trace
    from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

    from app.observability.logging import formatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    logger = logging.getLogger("workshop.check.log_line")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        if trace_id is None:
            logger.info("outside")
        else:
            context = SpanContext(
                trace_id, span_id, is_remote=False, trace_flags=TraceFlags(sampled)
            )
            with trace.use_span(NonRecordingSpan(context)):
                logger.info("inside")
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()
