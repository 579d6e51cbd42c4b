"""The one error envelope: RFC 9457 problem details, as a schema and as a response.

Every error the service returns is a `Problem`, served as application/problem+json:
`type` says which kind of problem it is (about:blank when the status says it all),
`title` names that kind, `status` repeats the HTTP status, `detail` explains this
occurrence, `instance` is the path asked for. Two extension members (RFC 9457
§3.2): `request_id`, the id the logs know this request by, and `errors`, each
field a validation error found, with where it is.
"""

from collections.abc import Mapping
from typing import Any, Literal
from uuid import uuid4

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

PROBLEM_JSON = "application/problem+json"
# RFC 9457 §4.2.1: no semantics beyond the status code; the title is its phrase.
ABOUT_BLANK = "about:blank"
# Our own problem types: absolute URIs that, dereferenced, document the type
# (§3.1.1). `.example` is reserved for examples (RFC 2606): point it at your docs.
TYPES = "https://fastapi-in-production.example/problems/"
VALIDATION = TYPES + "validation"


class FieldError(BaseModel):
    """One value the service could not accept, and where it was."""

    location: Literal["body", "query", "path", "header", "cookie"]
    pointer: str | None = Field(
        None, description="Where in the body (a JSON Pointer, RFC 6901), e.g. #/email."
    )
    parameter: str | None = Field(
        None, description="Which parameter, when the value is not in the body."
    )
    detail: str = Field(description="What is wrong with it, for a person.")
    code: str = Field(description="What is wrong with it, for a program.")


class Problem(BaseModel):
    """A problem details object (RFC 9457): what every error response holds."""

    type: str = Field(ABOUT_BLANK, description="Identifies the kind of problem.")
    title: str = Field(description="A short summary of that kind.")
    status: int = Field(ge=400, le=599, description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time, for a person.")
    instance: str = Field(description="The path of the request.")
    request_id: str = Field(description="Quote it to find this request in the logs.")
    errors: list[FieldError] | None = Field(
        None, description="Each value that was not valid (validation problems only)."
    )


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def request_id_of(request: Request) -> str:
    """The id the request-id middleware gave this request (a new one without it)."""
    state = request.scope.setdefault("state", {})
    return str(state.setdefault("request_id", str(uuid4())))


def problem_response(
    request: Request,
    status: int,
    *,
    title: str,
    detail: str,
    type: str = ABOUT_BLANK,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> ProblemResponse:
    """The response for one problem; `extensions` become extra members."""
    body = Problem(
        type=type,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request_id_of(request),
        **extensions,
    )
    return ProblemResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        headers=headers,
    )
