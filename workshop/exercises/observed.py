"""An HTTP answer seen by an observation, as plain data, and rebuilt for a check.

An observation (workshop.exercises.observations) that sends requests to a probe
app keeps each answer as `answer()` gives it: the status, the body as text and,
for a 500, the exception behind it explained. Its check rebuilds a response from
that (`response()`) to judge it with the same helpers as any other answer, and
says what came back with `said()`, as `Checker.describe` does.
"""

from __future__ import annotations

from typing import Any

import httpx

from workshop import answers

BODY_CHARS = 4000  # more than any ✗ line shows, less than the channel allows


def answer(response: Any, errors: answers.ServerErrors | None = None) -> dict[str, Any]:
    """Where the app runs: what came back, as plain data."""
    raised = errors.last() if errors is not None and response.status_code >= 500 else ""
    return {
        "status": response.status_code,
        "body": response.text[:BODY_CHARS],
        "raised": raised,
    }


def response(seen: Any) -> httpx.Response:
    """In the check: the answer rebuilt; an answer that is not one is a 599."""
    if not (
        isinstance(seen, dict)
        and type(seen.get("status")) is int
        and 100 <= seen["status"] <= 599
        and type(seen.get("body")) is str
    ):
        return httpx.Response(599, text=f"not an answer: {answers.short(repr(seen))}")
    return httpx.Response(seen["status"], text=seen["body"])


def said(seen: Any) -> str:
    """What came back, for a `got=`: the status and a short body, or the
    exception behind a 500."""
    raised = seen.get("raised") if isinstance(seen, dict) else None
    status = seen.get("status") if isinstance(seen, dict) else None
    if isinstance(raised, str) and raised and type(status) is int and status >= 500:
        return f"{status}, raised by {raised}"
    return answers.describe(response(seen))


def raised(error: BaseException | None) -> dict[str, Any] | None:
    """Where the app runs: an exception as plain data, its classes from its own
    to `BaseException` by full name ("app.errors.Conflict", ...) and its text;
    None for no exception."""
    if error is None:
        return None
    return {
        "types": [f"{c.__module__}.{c.__qualname__}" for c in type(error).__mro__],
        "message": str(error)[:BODY_CHARS],
    }


def is_a(seen: Any, name: str) -> bool:
    """In the check: is the exception seen an instance of the class `name`?"""
    types = seen.get("types") if isinstance(seen, dict) else None
    return type(types) is list and name in types


def kind(seen: Any) -> str:
    """In the check: the class name of the exception seen, for a `got=`."""
    if seen is None:
        return "no error"
    types = seen.get("types") if isinstance(seen, dict) else None
    if not isinstance(types, list) or not types or not isinstance(types[0], str):
        return f"not an exception: {answers.short(repr(seen))}"
    return types[0].rsplit(".", 1)[-1]
