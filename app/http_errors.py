"""The one place that turns every error into a problem details response (RFC 9457).

Four handlers cover everything the service can answer with an error: domain
errors raised by services, HTTPException (FastAPI's, and Starlette's own: an
unknown path, a wrong method), request validation, and any other exception,
which is a bug: 500, a generic message, and the whole story in the logs.
"""

import logging
from collections.abc import Sequence
from http import HTTPMethod, HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match, Route

from app.errors import (
    Conflict,
    DomainError,
    Invalid,
    LastAdministrator,
    NotFound,
    Overloaded,
    PermissionDenied,
    TooManyAttempts,
    Unauthenticated,
)
from app.middleware.request_id import HEADER
from app.problems import (
    ABOUT_BLANK,
    TYPES,
    VALIDATION,
    FieldError,
    problem_response,
    request_id_of,
)

logger = logging.getLogger(__name__)

STATUS_CODES: dict[type[DomainError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    Invalid: status.HTTP_422_UNPROCESSABLE_CONTENT,
    Unauthenticated: status.HTTP_401_UNAUTHORIZED,
    PermissionDenied: status.HTTP_403_FORBIDDEN,
    TooManyAttempts: status.HTTP_429_TOO_MANY_REQUESTS,
    Overloaded: status.HTTP_503_SERVICE_UNAVAILABLE,
}
# The type a client switches on (RFC 9457 §3.1.1): one per kind of domain error.
# Invalid breaks a rule about values, so it is a validation problem (VALIDATION).
PROBLEM_TYPES: dict[type[DomainError], str] = {
    NotFound: TYPES + "not-found",
    LastAdministrator: TYPES + "last-administrator",  # before Conflict, its base
    Conflict: TYPES + "conflict",
    Unauthenticated: TYPES + "unauthenticated",
    PermissionDenied: TYPES + "permission-denied",
    TooManyAttempts: TYPES + "too-many-attempts",
    Overloaded: TYPES + "overloaded",
}
# RFC 9110's names, where Python 3.11's http.HTTPStatus still has the older ones.
RFC_9110_PHRASES = {413: "Content Too Large", 422: "Unprocessable Content"}
MAX_TEXT = 200  # characters of what a client sent that a problem may repeat
MAX_ERRORS = 20  # field errors listed in one problem


def phrase(code: int) -> str:
    """The status's reason phrase, "Not Found": about:blank's title (§4.2.1)."""
    return RFC_9110_PHRASES.get(code) or HTTPStatus(code).phrase


def cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def headers_for(error: Exception) -> dict[str, str] | None:
    """Headers HTTP asks for with some statuses (RFC 9110 §11.6.1 and §10.2.3,
    RFC 6585 §4)."""
    if isinstance(error, Unauthenticated):
        return {"WWW-Authenticate": "Bearer"}  # which credentials would work
    if isinstance(error, (TooManyAttempts, Overloaded)):
        return {"Retry-After": str(error.retry_after)}  # when to try again
    return None


async def domain_error_handler(request: Request, error: Exception) -> Response:
    """A rule refused the request: its status, and the service's words for why."""
    if isinstance(error, Invalid):  # the shape of the schema's own refusals
        # Worded as pydantic words a ValueError raised by a validator.
        message = cut(f"Value error, {error}")
        wrong = FieldError(
            location="body", pointer="#", detail=message, code="value_error"
        )
        return validation_problem(request, [wrong], count=1)
    code = next(
        (code for kind, code in STATUS_CODES.items() if isinstance(error, kind)),
        status.HTTP_400_BAD_REQUEST,
    )
    problem_type = next(
        (uri for kind, uri in PROBLEM_TYPES.items() if isinstance(error, kind)),
        ABOUT_BLANK,
    )
    return problem_response(
        request,
        code,
        type=problem_type,
        title=phrase(code),
        detail=str(error),
        headers=headers_for(error),
    )


def allowed_methods(request: Request) -> str:
    """The methods some route takes at the request's path, each asked of the routes
    as routing asks, root path (--root-path) included. (Starlette's own Allow names
    those of the first route with that path only: GET, where POST works too.)"""
    # A fresh scope: FastAPI keeps the state of this request's routing in its own.
    root = request.scope.get("root_path", "")
    path = {"type": "http", "path": request.scope["path"], "root_path": root}
    routes = request.app.router.routes
    return ", ".join(
        method.value
        for method in HTTPMethod  # RFC 9110's methods (§9), and PATCH
        if any(
            route.matches({**path, "method": method})[0] is Match.FULL
            for route in routes
            # an ASGI app routed whatever the method says its own Allow
            if not (isinstance(route, Route) and route.methods is None)
        )
    )


async def http_error_handler(request: Request, error: Exception) -> Response:
    """HTTPException, with its headers kept: a 401 from OAuth2PasswordBearer says
    WWW-Authenticate, a 405 says which methods are Allowed (RFC 9110 §15.5.6)."""
    assert isinstance(error, HTTPException)
    code = error.status_code
    headers = dict(error.headers or {})
    if code < 400:  # not an error: a redirect (Location) or a 304, as Starlette does
        return Response(status_code=code, headers=headers)
    detail = error.detail if isinstance(error.detail, str) else phrase(code)
    if code == status.HTTP_405_METHOD_NOT_ALLOWED:
        headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
    return problem_response(
        request, code, title=phrase(code), detail=detail, headers=headers
    )


def json_pointer(path: Sequence[str | int]) -> str:
    """Where a value is in a JSON document (RFC 6901), as a URI fragment: #/a/0."""
    parts = [quote(str(part).replace("~", "~0").replace("/", "~1")) for part in path]
    return "#/" + "/".join(parts) if parts else "#"


def field_error(error: dict[str, Any]) -> FieldError:
    """One of pydantic's errors as a client may see it: where, and what is wrong.

    Never the value that was sent (`error["input"]`): it may be a password. What
    the client wrote and we repeat, such as a field's name, is cut short.
    """
    location, *path = error["loc"]
    if location != "body":
        return FieldError(
            location=location,
            parameter=cut(str(path[0])),
            detail=cut(error["msg"]),
            code=error["type"],
        )
    if error["type"] == "json_invalid":
        path = []  # the position of the bad character, not a field
    return FieldError(
        location="body",
        pointer=cut(json_pointer(path)),
        detail=cut(error["msg"]),
        code=error["type"],
    )


async def validation_error_handler(request: Request, error: Exception) -> Response:
    """422, each field that is not valid listed in `errors`, at most MAX_ERRORS."""
    assert isinstance(error, RequestValidationError)
    problems = error.errors()
    # Only the errors listed are built: a body of 60,000 unknown keys is 60,000
    # errors, and building them all held the event loop for seconds.
    errors = [field_error(problem) for problem in problems[:MAX_ERRORS]]
    return validation_problem(request, errors, count=len(problems))


def validation_problem(
    request: Request, errors: list[FieldError], *, count: int
) -> Response:
    """The one shape of a refused value, from the schema or from a service rule."""
    detail = "1 value is not valid" if count == 1 else f"{count} values are not valid"
    if count > MAX_ERRORS:
        detail += f"; the first {MAX_ERRORS} are listed"
    return problem_response(
        request,
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        type=VALIDATION,
        title="Your request is not valid",
        detail=detail + ".",
        errors=errors,
    )


async def unexpected_error_handler(request: Request, error: Exception) -> Response:
    """A bug. The client learns that, and the request id; the logs learn the rest,
    under the same id. (Starlette then raises the error again, for the server.)"""
    request_id = request_id_of(request)
    logger.error(
        "Unexpected error answering %s %s (request %s)",
        request.method,
        request.url.path,
        request_id,
        exc_info=error,
        extra={"request_id": request_id},
    )
    return problem_response(
        request,
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        title=phrase(500),
        detail="Something went wrong on our side. If it happens again, "
        "tell us the request_id.",
        headers={HEADER: request_id},  # sent from outside the request-id middleware
    )


def add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
