"""Prometheus metrics of the HTTP traffic, served at /metrics.

Each request is counted and timed (app/observability/requests.py notes its
status and duration) by method, route template and status: the
template (`/api/v1/items/{item_id}`, app/observability/routes.py), never the path,
and the method (one of the usual seven, or `other`), so that the number of series
stays bounded. /metrics itself is not counted.

Under Gunicorn each worker is a process with its own counters: prometheus_client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by gunicorn.conf.py before this
module is imported) keeps them in files that /metrics adds up.
"""

import os
from collections.abc import Awaitable, Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

PATH = "/metrics"
# Latency buckets in seconds, from 5 ms to 10 s.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# The method is whatever the client writes (h11 takes any word, httptools dozens
# of methods): a label value per method a client makes up would be unbounded.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class HttpMetrics:
    """The metrics of one app, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        labels = ("method", "route", "status")
        self.requests = Counter(
            "http_requests",
            "HTTP requests answered.",
            labels,
            registry=self.registry,
        )
        self.duration = Histogram(
            "http_request_duration_seconds",
            "Time from the request's arrival to the end of its response.",
            labels,
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "http_requests_in_flight",
            "HTTP requests being served.",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """One answered request: counted, and its duration put in its bucket."""
        key = (method if method in METHODS else "other", route, status)
        series = self._series.get(key)
        if series is None:
            # labels() checks and looks up its values under a lock: once a series.
            labels = (key[0], route, str(status))
            series = self._series[key] = (
                self.requests.labels(*labels),
                self.duration.labels(*labels),
            )
        requests, duration = series
        requests.inc()
        duration.observe(seconds)

    def exposition(self) -> bytes:
        """The text format; under Gunicorn, the sum of every worker's files."""
        if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
            registry = CollectorRegistry()
            MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)


class EveryMethod:
    """/metrics reached by every method. Starlette routes a function to GET and
    HEAD alone and answers POST with 405 and an `Allow` header, which tells a
    scanner the path exists; a class is routed as an ASGI app, whatever the method,
    so a hidden /metrics answers every method as a missing path does."""

    def __init__(self, endpoint: Callable[[Request], Awaitable[Response]]) -> None:
        self.endpoint = endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.endpoint(Request(scope, receive))
        await response(scope, receive, send)


async def metrics_endpoint(request: Request) -> Response:
    """GET /metrics; when metrics_port is set, on any other port the same 404
    as a path that does not exist, whatever the method."""
    port = request.app.state.settings.metrics_port
    server = request.scope.get("server") or (None, None)  # None: a Unix socket
    if port is not None and server[1] != port:
        raise HTTPException(status_code=404)
    if request.method not in ("GET", "HEAD"):
        raise HTTPException(status_code=405, headers={"Allow": "GET, HEAD"})
    metrics: HttpMetrics = request.app.state.metrics
    # Reading every worker's files takes a while: not on the event loop.
    body = await run_in_threadpool(metrics.exposition)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
