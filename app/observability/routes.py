"""The route template of a request, `/api/v1/items/{item_id}`: the label that
metrics and log lines name a request by.

Never the path: `/api/v1/items/1` and `/api/v1/items/2` are one route, and a label
with a value per item (or per scanner probing random URLs) would make a series per
value, which Prometheus keeps in memory for each. Paths no route matches share
one label.
"""

from collections import Counter

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

UNMATCHED = "unmatched"
_KEY = "app.route_template"  # where a request's template is kept, once found


class RouteTemplates:
    """The full templates of an app's routes, found once (include_router adds a
    prefix that the route object FastAPI puts in scope["route"] does not hold)."""

    def __init__(self, routes: list[BaseRoute]) -> None:
        self.contexts = list(iter_route_contexts(routes))
        # Routes compare by value and cannot be hashed: they are known by id.
        uses = Counter(id(context.original_route) for context in self.contexts)
        self.by_route: dict[int, str] = {
            id(context.original_route): context.path
            for context in self.contexts
            if uses[id(context.original_route)] == 1 and context.path
        }

    def template(self, scope: Scope) -> str:
        known = self.by_route.get(id(scope.get("route")))
        if known is not None:
            return known
        partial = None  # a path that matches with another method: 405
        for context in self.contexts:
            match, _ = context.matches(scope)
            if match is Match.FULL:
                return context.path or UNMATCHED
            if match is Match.PARTIAL and partial is None:
                partial = context.path
        return partial or UNMATCHED


def route_template(scope: Scope) -> str:
    """The template of the route that answered `scope`, or UNMATCHED."""
    if _KEY not in scope:
        app = scope.get("app")
        if app is None:
            return UNMATCHED
        if not hasattr(app.state, "route_templates"):
            app.state.route_templates = RouteTemplates(app.routes)
        scope[_KEY] = app.state.route_templates.template(scope)
    template: str = scope[_KEY]
    return template
