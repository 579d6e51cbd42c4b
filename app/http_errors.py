"""The one place that turns domain errors into HTTP responses."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from app.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)

STATUS_CODES: dict[type[DomainError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    Unauthenticated: status.HTTP_401_UNAUTHORIZED,
    PermissionDenied: status.HTTP_403_FORBIDDEN,
}
# RFC 9110: a 401 names the scheme that would work, so clients know to send a token.
CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def domain_error_handler(request: Request, error: Exception) -> JSONResponse:
    """A rule refused the request: say which status it means, and why."""
    code = next(
        (code for kind, code in STATUS_CODES.items() if isinstance(error, kind)),
        status.HTTP_400_BAD_REQUEST,
    )
    headers = CHALLENGE if code == status.HTTP_401_UNAUTHORIZED else None
    return JSONResponse({"detail": str(error)}, status_code=code, headers=headers)


def add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_handler)
