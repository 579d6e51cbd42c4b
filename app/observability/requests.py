"""One wrapper around every request: it notes the status and the duration once,
then writes the access line and updates the metrics from them.

The access line names the route template, not the path, so no id, token or query
string sent in a URL reaches the log; and the client is the one lesson 08's
ForwardedForMiddleware found behind the trusted proxies.
"""

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.metrics import PATH as METRICS_PATH
from app.observability.metrics import HttpMetrics
from app.observability.routes import route_template

logger = logging.getLogger("app.access")
# Asked every few seconds by each load balancer: a probe that succeeds is logged at
# DEBUG (the metrics still count it), one that fails at INFO like any request.
PROBES = frozenset({"/health", "/health/ready"})


class RequestObserver:
    """The access line of every HTTP request, and its metrics (not for /metrics)."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics | None = None) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        metrics = self.metrics if scope["path"] != METRICS_PATH else None
        logged = logger.isEnabledFor(logging.INFO)
        if metrics is None and not logged:
            await self.app(scope, receive, send)
            return
        status = 500  # unless the app says otherwise before it fails
        started = time.perf_counter()

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        if metrics is not None:
            metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_and_note)
        finally:
            seconds = time.perf_counter() - started
            route = route_template(scope)
            if metrics is not None:
                metrics.in_flight.dec()
                metrics.observe(scope["method"], route, status, seconds)
            quiet = status < 400 and scope["path"] in PROBES
            level = logging.DEBUG if quiet else logging.INFO
            if logged and logger.isEnabledFor(level):
                client = scope.get("client")
                logger.log(
                    level,
                    "request",
                    extra={
                        "method": scope["method"],
                        "route": route,
                        "status": status,
                        "duration_ms": round(seconds * 1000, 2),
                        "client": client[0] if client else None,
                    },
                )
