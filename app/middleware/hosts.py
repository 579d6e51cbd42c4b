"""Answer only the host names this service is for (the Host header).

A request for another name is a misrouted request, or an attack that relies on
the service trusting its Host header (links built from it in an email, a cache
keyed by it). Starlette's TrustedHostMiddleware does this too, in plain text;
this one answers a problem, like every other error. The probes under /health
answer any name: a platform's health checks often name the machine's address as
the host (a Kubernetes probe connects to the pod's IP), and they build no links.
"""

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.http_errors import phrase
from app.problems import problem_response

PROBES = "/health"


def host_allowed(host: str, allowed: Sequence[str]) -> bool:
    """`host` without its port, against names and `*.example.com` patterns; host
    names are not case-sensitive, and a final dot names the same host."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.lower().rstrip(".")
    for pattern in (pattern.lower() for pattern in allowed):
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


class TrustedHostMiddleware:
    def __init__(self, app: ASGIApp, *, hosts: Sequence[str]) -> None:
        self.app = app
        self.hosts = list(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host", "")
        path = scope["path"].removeprefix(scope.get("root_path", ""))
        probe = path == PROBES or path.startswith(PROBES + "/")
        if probe or host_allowed(host, self.hosts):
            await self.app(scope, receive, send)
            return
        response = problem_response(
            Request(scope),
            400,
            title=phrase(400),
            detail="This service does not answer for that host name.",
        )
        await response(scope, receive, send)
