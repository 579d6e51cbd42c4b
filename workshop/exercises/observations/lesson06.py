"""What lesson 06's checks observe where the app runs (workshop.exercises.lesson06)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from workshop.checking import app_settings, observation
from workshop.exercises import serving


@observation
def field_errors(errors: list[dict[str, Any]]) -> list[Any]:
    """What field_error makes of each of these Pydantic errors (`loc` a tuple
    again, as Pydantic gives it): its fields without the empty ones, or what it
    raised."""
    from app.http_errors import field_error

    seen: list[Any] = []
    for error in errors:
        try:
            made = field_error({**error, "loc": tuple(error["loc"])})
            seen.append(json.loads(json.dumps(made.model_dump(exclude_none=True))))
        except Exception as problem:
            seen.append(f"{type(problem).__name__}: {problem}")
    return seen


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def _fails() -> None:
    raise RuntimeError("a bug, on purpose")


@observation
def failed_request(request_id: str) -> dict[str, Any]:
    """A route that raises, asked for with this X-Request-ID: the answer's
    status, the request_id of its body, its header, and the app's error logs."""
    from fastapi.testclient import TestClient

    from app.main import create_app

    app = create_app(app_settings())
    app.add_api_route("/check-06-2/fails", _fails)
    records = _Records()
    logging.getLogger("app").addHandler(records)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            answer = client.get(
                "/check-06-2/fails", headers={"X-Request-ID": request_id}
            )
    finally:
        logging.getLogger("app").removeHandler(records)
    try:
        said = answer.json().get("request_id")
    except (ValueError, AttributeError):
        said = None
    return {
        "status": answer.status_code,
        "request_id": said if type(said) is str else None,
        "header": answer.headers.get("X-Request-ID"),
        "logs": records.messages,
    }


@observation
def requests_served(
    settings: dict[str, Any], batches: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The app built with `settings`, lifespan running, handed these requests
    chunk by chunk (workshop.exercises.serving): what each got."""
    from app.main import create_app

    app = create_app(app_settings(**settings))

    async def scenario() -> list[dict[str, Any]]:
        async with app.router.lifespan_context(app):
            return await serving.serve(app, batches)

    return asyncio.run(scenario())


@observation
def body_limit(max_bytes: int, batches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """BodyLimitMiddleware(max_bytes=...) around an app that reads the whole
    body, handed these requests chunk by chunk: what each got."""
    from app.middleware.body_limit import BodyLimitMiddleware

    app = BodyLimitMiddleware(serving.read_body, max_bytes=max_bytes)
    return asyncio.run(serving.serve(app, batches))
