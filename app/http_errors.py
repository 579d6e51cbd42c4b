"""The one place that turns domain errors into HTTP responses."""

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from app.errors import Conflict, DomainError, NotFound

STATUS_CODES: dict[type[DomainError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
}


async def domain_error_handler(request: Request, error: Exception) -> JSONResponse:
    """A rule refused the request: say which status it means, and why."""
    code = next(
        (code for kind, code in STATUS_CODES.items() if isinstance(error, kind)),
        status.HTTP_400_BAD_REQUEST,
    )
    return JSONResponse({"detail": str(error)}, status_code=code)


def add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error_handler)
