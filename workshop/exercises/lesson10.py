"""Checks for 10 · Observability.

On SQLite, where the app runs (workshop.exercises.observations.lesson10):
/metrics is asked through sockets of ports chosen at random (TestClient's base
URL sets the server's port), and log lines are rendered by the app's own
formatter inside spans whose ids are chosen at random, some of them starting
with zeros. The answers and the lines come back as text and are judged here, so
the lesson is judged outside its sandbox when graded (workshop.grading.judge).

Properties, each with the cases that exercise it:

10.1 (metrics off the public port)
- With metrics_port set, /metrics answers 200 with the metrics on that port
  (a port drawn for the run), and on any other port exactly as a path that does
  not exist: the same 404 problem, no Allow header, for every method (GET, HEAD,
  POST, PUT, PATCH, DELETE, OPTIONS and a made-up one), beside a missing path
  asked with the same method.
- Where a request arrived is the socket, not what the client says: a Host
  header, or X-Forwarded-Port and Forwarded headers, naming the metrics port
  change nothing, nor does a client on this machine (127.0.0.1, as a reverse
  proxy on the same host is); on the metrics port, a Host header naming another
  port changes nothing either; a Unix socket (no port in the ASGI scope) is not
  the metrics port.
- With metrics_port unset, /metrics answers on any port.

10.2 (trace ids in log lines)
- A line logged inside a span holds its trace id as 32 lowercase hex digits
  and its span id as 16, zeros in front kept: ids drawn for each run with their
  first digits zero; a span that is not sampled (nine in ten in production)
  too.
- A line logged outside any span holds neither (an id of zeros is no trace).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import httpx

from workshop.checking import Checker, exercise
from workshop.exercises.observations.lesson10 import (
    answers_on_port,
    log_line,
    metrics_on_a_unix_socket,
)


def _port(*avoid: int) -> int:
    return secrets.choice([p for p in range(9000, 9999) if p not in avoid])


# Every method a scanner may try: a route of GET alone answers the others 405
# with an Allow header, which says the path exists. BREW is made up.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "BREW")


def _asked(
    t: Checker,
    port: int,
    asked: list[tuple[Any, ...]],
    client: str = "testclient",
    **settings: Any,
) -> list[httpx.Response]:
    """The answers to (method, path, host[, headers]) asked on a socket of `port`
    of an app built with `settings`, by a client at `client`; host "" leaves the
    Host header to the client."""
    seen = t.observe(
        answers_on_port,
        settings=settings,
        port=port,
        asked=[list(request) for request in asked],
        client=client,
    )
    if len(seen) != len(asked):
        raise ValueError(f"{len(asked)} requests asked, {len(seen)} answers seen")
    return [
        httpx.Response(
            answer["status"],
            # the body comes back decoded: a content-encoding no longer applies
            headers=[(k, v) for k, v in answer["headers"] if k != "content-encoding"],
            content=answer["body"].encode(),
            request=httpx.Request(method, f"http://testserver:{port}{path}"),
        )
        for answer, (method, path, *_) in zip(seen, asked, strict=True)
    ]


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
    steps=8,
)
def metrics_answer_on_their_port(t: Checker) -> None:
    private = _port()
    public = _port(private)
    named = ("GET", "/metrics", f"metrics.internal:{public}")
    inside, renamed = _asked(
        t, private, [("GET", "/metrics", ""), named], metrics_port=private
    )
    t.expect(
        inside.status_code == 200 and "http_requests_total" in inside.text,
        "with metrics_port set, /metrics asked on that port answers 200 with the "
        "metrics",
        got=f"metrics_port={private}, asked on {private}: {_said(inside)}",
    )
    t.expect(
        renamed.status_code == 200 and "http_requests_total" in renamed.text,
        "asked on that port with a Host header naming another port (a service's "
        "name and port), still 200: the socket decides, not the header",
        got=f"asked on {private} with 'Host: {named[2]}': {_said(renamed)}",
    )
    # On the public port: /metrics, a path that does not exist, /metrics with a
    # Host header and with forwarding headers naming the metrics port,
    # then every method on a missing path and on /metrics.
    forwarded = {  # what proxies write, and a client can write as well
        "X-Forwarded-Port": str(private),
        "X-Forwarded-Host": "metrics",
        "Forwarded": f"proto=http;host=metrics:{private}",  # RFC 7239
    }
    asked = [
        ("GET", "/metrics", ""),
        ("GET", f"/{secrets.token_hex(4)}", ""),
        ("GET", "/metrics", f"testserver:{private}"),
        ("GET", "/metrics", "", forwarded),
    ]
    asked += [(m, f"/{secrets.token_hex(4)}", "") for m in METHODS]
    asked += [(m, "/metrics", "") for m in METHODS]
    outside, missing, lying, relayed, *methods = _asked(
        t, public, asked, metrics_port=private
    )
    (local,) = _asked(
        t, public, [("GET", "/metrics", "")], client="127.0.0.1", metrics_port=private
    )
    t.expect(
        _looks_missing(outside, missing),
        "asked on another port, the public one, /metrics answers the same 404 "
        "problem as a path that does not exist",
        got=f"metrics_port={private}, asked on {public}: {_said(outside)}",
    )
    t.expect(
        _looks_missing(lying, missing),
        "asked on another port with a Host header naming the metrics port, still "
        "404: a header is what the client says, the socket is where it came in",
        got=f"asked on {public} with 'Host: testserver:{private}': {_said(lying)}",
    )
    t.expect(
        _looks_missing(relayed, missing) and _looks_missing(local, missing),
        "asked on another port with X-Forwarded-Port and Forwarded headers naming "
        "the metrics port, or by a client on this machine (127.0.0.1, as a reverse "
        "proxy on the same host is), still 404",
        got=f"asked on {public} with X-Forwarded-Port and Forwarded naming {private}: "
        f"{_said(relayed)}; from 127.0.0.1: {_said(local)}",
    )
    missed, answers = methods[: len(METHODS)], methods[len(METHODS) :]
    told = [
        f"{method} {_said(answer)}"
        for method, answer, gone in zip(METHODS, answers, missed, strict=True)
        if not _looks_missing(answer, gone)
    ]
    t.expect(
        not told,
        "asked on another port with every method, HEAD, POST and a made-up one "
        "included, /metrics answers each as a missing path does (a 405 with an "
        "Allow header would say the path exists)",
        got="; ".join(told),
    )
    unix = t.observe(metrics_on_a_unix_socket, settings={"metrics_port": private})
    t.expect(
        unix["status"] == 404,
        "asked through a Unix socket (no port: the ASGI scope's server is None), "
        "404 as well",
        got=f"raised {unix['raised']}"
        if unix["raised"]
        else f"status {unix['status']}",
    )
    (anywhere,) = _asked(t, public, [("GET", "/metrics", "")])
    t.expect(
        anywhere.status_code == 200 and "http_requests_total" in anywhere.text,
        "with metrics_port unset, /metrics answers on any port",
        got=_said(anywhere),
    )


def _rendered(
    t: Checker, trace_id: int | None, span_id: int, sampled: bool = True
) -> dict[str, Any]:
    """One line logged inside a span with these ids, sampled or not (or outside
    any span, when trace_id is None), as the app's JSON formatter wrote it, read
    here."""
    text = t.observe(log_line, trace_id=trace_id, span_id=span_id, sampled=sampled)
    try:
        line = json.loads(text)
    except ValueError:
        return {"not JSON": text[:120]}
    if type(line) is not dict:
        return {"not a JSON object": text[:120]}
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
    steps=4,
)
def log_lines_carry_the_trace(t: Checker) -> None:
    trace_id = secrets.randbits(120) | 1  # 32 hex digits, the first ones zeros
    span_id = secrets.randbits(56) | 1
    line = _rendered(t, trace_id, span_id)
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
    trace_id, span_id = secrets.randbits(124) | 1, secrets.randbits(60) | 1
    unsampled = _rendered(t, trace_id, span_id, sampled=False)
    t.expect(
        unsampled.get("trace_id") == f"{trace_id:032x}"
        and unsampled.get("span_id") == f"{span_id:016x}",
        "a line logged inside a span that is not sampled (nine in ten in "
        "production) has both ids too: the line still belongs to its request",
        got=json.dumps(unsampled)[:160],
    )
    outside = _rendered(t, None, 0)
    t.expect(
        "trace_id" not in outside and "span_id" not in outside,
        "a line logged outside any span has no trace_id and no span_id (an id of "
        "zeros is no trace)",
        got=json.dumps(outside)[:160],
    )
