"""The one place that turns domain errors into HTTP responses."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from app.errors import (
    Conflict,
    DomainError,
    Invalid,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
    Unauthenticated,
)

STATUS_CODES: dict[type[DomainError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
    Invalid: status.HTTP_422_UNPROCESSABLE_CONTENT,
    Unauthenticated: status.HTTP_401_UNAUTHORIZED,
    PermissionDenied: status.HTTP_403_FORBIDDEN,
    TooManyAttempts: status.HTTP_429_TOO_MANY_REQUESTS,
}


def headers_for(error: Exception) -> dict[str, str] | None:
    """Headers HTTP asks for with some statuses (RFC 9110 §11.6.1, RFC 6585 §4)."""
    if isinstance(error, Unauthenticated):
        return {"WWW-Authenticate": "Bearer"}  # which credentials would work
    if isinstance(error, TooManyAttempts):
        return {"Retry-After": str(error.retry_after)}  # when to try again
    return None


async def domain_error_handler(request: Request, error: Exception) -> JSONResponse:
    """A rule refused the request: say which status it means, and why."""
    code = next(
        (code for kind, code in STATUS_CODES.items() if isinstance(error, kind)),
        status.HTTP_400_BAD_REQUEST,
    )
    return JSONResponse(
        {"detail": str(error)}, status_code=code, headers=headers_for(error)
    )


def add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_handler)
