"""Checks for 10 · Observability.

In-process, on SQLite: /metrics is asked through sockets of ports chosen at random
(TestClient's base URL sets the server's port), and log lines are rendered by the
app's own formatter inside spans whose ids are chosen at random, some of them
starting with zeros.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
from typing import Any

from workshop.checking import Checker, exercise


def _port(*avoid: int) -> int:
    return secrets.choice([p for p in range(9000, 9999) if p not in avoid])


# Every method a scanner may try: a route of GET alone answers the others 405
# with an Allow header, which says the path exists. BREW is made up.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "BREW")


def _get(app: Any, port: int, host: str | None = None, method: str = "GET") -> Any:
    """GET /metrics on a socket of `port`; `host` as the Host header when given."""
    from fastapi.testclient import TestClient

    headers = {"Host": host} if host else {}
    with TestClient(
        app, base_url=f"http://testserver:{port}", raise_server_exceptions=False
    ) as client:
        return client.request(method, "/metrics", headers=headers)


def _said(response: Any) -> str:
    return f"{response.status_code} {response.text[:80]!r}"


def _looks_missing(response: Any, missing: Any) -> bool:
    """`response` is the app's answer to a path that does not exist: a 404 in the
    same format, with the same title and detail."""
    if response.status_code != 404 or missing.status_code != 404:
        return False
    if response.headers.get("content-type") != missing.headers.get("content-type"):
        return False
    if "allow" in response.headers:
        return False
    if not missing.content:  # HEAD: no body to compare
        return not response.content
    try:
        body, expected = response.json(), missing.json()
    except ValueError:
        return False
    same = ("type", "title", "status", "detail")
    return all(body.get(key) == expected.get(key) for key in same)


def _on_a_unix_socket(app: Any) -> int:
    """The status of GET /metrics asked through a Unix socket: an ASGI scope
    whose `server` is None, as the ASGI specification allows."""
    import asyncio

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

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    try:
        asyncio.run(app(scope, receive, send))
    except Exception:
        return 500
    return statuses[0] if statuses else 0


@exercise(
    "10.1",
    "Metrics off the public port",
    hints=(
        "Where did the request arrive? The Host header is whatever the client "
        "wrote; the ASGI scope also says which socket the server accepted it on. "
        "A refusal should look like a page that is not there.",
        "Compare settings.metrics_port, when it is not None, with the port of "
        "request.scope['server'], a (host, port) pair that is None on a Unix "
        "socket; when they differ, raise Starlette's HTTPException with the "
        "status of a missing page, which the app's handlers answer as they "
        "answer any unknown path.",
    ),
    steps=6,
)
def metrics_answer_on_their_port(t: Checker) -> None:
    private = _port()
    public = _port(private)
    app = t.app(metrics_port=private)
    inside = _get(app, private)
    t.expect(
        inside.status_code == 200 and "http_requests_total" in inside.text,
        "with metrics_port set, /metrics asked on that port answers 200 with the "
        "metrics",
        got=f"metrics_port={private}, asked on {private}: {_said(inside)}",
    )
    outside = _get(app, public)
    from fastapi.testclient import TestClient

    with TestClient(app, base_url=f"http://testserver:{public}") as client:
        missing = client.get(f"/{secrets.token_hex(4)}")
    t.expect(
        _looks_missing(outside, missing),
        "asked on another port, the public one, /metrics answers the same 404 "
        "problem as a path that does not exist",
        got=f"metrics_port={private}, asked on {public}: {_said(outside)}",
    )
    lying = _get(app, public, host=f"testserver:{private}")
    t.expect(
        _looks_missing(lying, missing),
        "asked on another port with a Host header naming the metrics port, still "
        "404: a header is what the client says, the socket is where it came in",
        got=f"asked on {public} with 'Host: testserver:{private}': {_said(lying)}",
    )
    with TestClient(app, base_url=f"http://testserver:{public}") as client:
        missed = {m: client.request(m, f"/{secrets.token_hex(4)}") for m in METHODS}
    told = [
        f"{method} {_said(answer)}"
        for method, answer in ((m, _get(app, public, method=m)) for m in METHODS)
        if not _looks_missing(answer, missed[method])
    ]
    t.expect(
        not told,
        "asked on another port with every method, HEAD, POST and a made-up one "
        "included, /metrics answers each as a missing path does (a 405 with an "
        "Allow header would say the path exists)",
        got="; ".join(told),
    )
    unix = _on_a_unix_socket(app)
    t.expect(
        unix == 404,
        "asked through a Unix socket (no port: the ASGI scope's server is None), "
        "404 as well",
        got=f"status {unix}",
    )
    anywhere = _get(t.app(), public)
    t.expect(
        anywhere.status_code == 200 and "http_requests_total" in anywhere.text,
        "with metrics_port unset, /metrics answers on any port",
        got=_said(anywhere),
    )


def _rendered(trace_id: int | None, span_id: int) -> dict[str, Any]:
    """One line logged inside a span with these ids (or outside any span, when
    trace_id is None), rendered by the app's JSON formatter."""
    from opentelemetry import trace
    from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

    from app.observability.logging import formatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    logger = logging.getLogger(f"workshop.check.{secrets.token_hex(4)}")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        if trace_id is None:
            logger.info("outside")
        else:
            context = SpanContext(
                trace_id, span_id, is_remote=False, trace_flags=TraceFlags(1)
            )
            with trace.use_span(NonRecordingSpan(context)):
                logger.info("inside")
    finally:
        logger.removeHandler(handler)
    try:
        line: dict[str, Any] = json.loads(stream.getvalue())
    except ValueError:
        return {"not JSON": stream.getvalue()[:120]}
    return line


@exercise(
    "10.2",
    "The trace id in every log line",
    hints=(
        "OpenTelemetry knows the current span wherever the code runs; its context "
        "holds the two ids as integers. Logs and traces meet when the ids are "
        "written exactly as traceparent writes them.",
        "Take trace.get_current_span().get_span_context(); when its is_valid is "
        "true, put the trace id as 32 lowercase hex digits and the span id as 16, "
        "zeros in front included (format(number, '032x')), into event.",
    ),
    steps=3,
)
def log_lines_carry_the_trace(t: Checker) -> None:
    trace_id = secrets.randbits(120) | 1  # 32 hex digits, the first ones zeros
    span_id = secrets.randbits(56) | 1
    line = _rendered(trace_id, span_id)
    t.expect(
        line.get("trace_id") == f"{trace_id:032x}",
        "a line logged inside a span has its trace_id, 32 lowercase hex digits, "
        "as in traceparent",
        got=f"trace_id={line.get('trace_id')!r} for the span of {trace_id:032x}",
    )
    t.expect(
        line.get("span_id") == f"{span_id:016x}",
        "and its span_id, 16 lowercase hex digits",
        got=f"span_id={line.get('span_id')!r} for the span {span_id:016x}",
    )
    outside = _rendered(None, 0)
    t.expect(
        "trace_id" not in outside and "span_id" not in outside,
        "a line logged outside any span has no trace_id and no span_id (an id of "
        "zeros is no trace)",
        got=json.dumps(outside)[:160],
    )
