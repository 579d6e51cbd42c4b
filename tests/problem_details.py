"""How the tests read an error: every one is a problem details object (RFC 9457)."""

from typing import Any

from httpx2 import Response

from app.problems import PROBLEM_JSON, Problem

CHANGING = {"instance", "request_id"}  # the path asked for, and a new id each time


def problem(response: Response) -> dict[str, Any]:
    """The problem `response` carries, checked against the envelope's rules, without
    the members that change from one request to the next."""
    assert response.headers["content-type"] == PROBLEM_JSON, response.text
    body = response.json()
    Problem.model_validate(body)  # the documented schema, and nothing else
    assert body["status"] == response.status_code
    assert body["request_id"] == response.headers["X-Request-ID"]
    return {name: value for name, value in body.items() if name not in CHANGING}
