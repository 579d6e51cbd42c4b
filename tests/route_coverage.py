"""Route coverage: every (method, route, documented status) is produced by a test.

`Recorder` wraps an app the tests call, and notes every answer: its method, its
path, the route that answered it and its status. `documented(spec)` reads what
the OpenAPI document promises; `uncovered` names what no test produced. The
statuses every route documents (413, 500) are tested once for the whole API,
not once per route.

A test that sweeps every route of the document answers for none of them: its
Recorder notes only the statuses it `counted` (the ones it asserts for each
route), so a route whose success only a sweep produced is reported untested.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Answer = tuple[str, str, int]  # ("GET", "/api/v1/items/{item_id}", 404)
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Seen:
    method: str
    path: str  # as requested: /api/v1/items/7
    route: str  # the template of the route that answered, as its router knows it
    status: int


SEEN: set[Seen] = set()


class Recorder:
    """Notes each answer of `app` in `seen` (only the statuses in `counted`, when
    given). Pure ASGI, around the whole app: it sees the 500 a bug turns into as
    well as every other answer.

    FastAPI puts the route that matched in `scope["route"]`, and the router mutates
    the scope it was given, so the answer's route is there when it starts. That
    route's path is relative to its own router (`/items/{item_id}`, without the
    prefix; `path_format` drops a convertor such as `:int`): `produced` finds the
    full template from the request's path.
    """

    def __init__(
        self,
        app: ASGIApp,
        seen: set[Seen] = SEEN,
        counted: Collection[int] | None = None,
    ) -> None:
        self.app, self.seen, self.counted = app, seen, counted

    def __getattr__(self, name: str) -> Any:
        """The wrapped app's attributes (`state`, `dependency_overrides`...)."""
        return getattr(self.app, name)

    def counts(self, status: int) -> bool:
        return self.counted is None or status in self.counted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def noting(message: Message) -> None:
            route = scope.get("route")
            start = message["type"] == "http.response.start"
            if start and route is not None and self.counts(message["status"]):
                seen = Seen(
                    scope["method"], scope["path"], route.path_format, message["status"]
                )
                self.seen.add(seen)
            await send(message)

        await self.app(scope, receive, noting)


def matches(template: str, path: str) -> bool:
    pieces = re.split(r"\{[^}]+\}", template)  # /items/{item_id} → /items/, ""
    return re.fullmatch("[^/]+".join(map(re.escape, pieces)), path) is not None


def documented(spec: dict[str, Any], *, whole_api: set[int]) -> set[Answer]:
    """Every (method, template, status) the document promises, but the statuses
    documented for the whole API."""
    return {
        (method.upper(), template, int(status))
        for template, operations in spec["paths"].items()
        for method in METHODS
        if method in operations
        for status in operations[method]["responses"]
        if int(status) not in whole_api
    }


def produced(spec: dict[str, Any], seen: set[Seen]) -> set[Answer]:
    """What the tests produced, each answer under its route's full template."""
    return {
        (answer.method, template, answer.status)
        for answer in seen
        for template in spec["paths"]
        if template.endswith(answer.route) and matches(template, answer.path)
    }


def uncovered(spec: dict[str, Any], seen: set[Seen], whole_api: set[int]) -> list[str]:
    """'PATCH /api/v1/users/me 429' for each promise no test kept, in order."""
    missing = documented(spec, whole_api=whole_api) - produced(spec, seen)
    return [f"{method} {path} {status}" for method, path, status in sorted(missing)]


def undescribed(spec: dict[str, Any]) -> list[str]:
    """'GET /api/v1/x' for each operation without a summary or a description."""
    return [
        f"{method.upper()} {template}"
        for template, operations in spec["paths"].items()
        for method, operation in operations.items()
        if not (operation.get("summary") and operation.get("description"))
    ]
