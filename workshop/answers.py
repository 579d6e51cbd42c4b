"""What came back: an HTTP answer in a few words, for a check's ✗ line.

`describe(response)` gives "401 {"detail": "Not authenticated"}", short enough
for one line (a problem details body, from lesson 06 on, in its own words: "401
Unauthorized: Not authenticated"); for a 500 it names the exception behind it
and where in the app it was raised, when the app ran behind a `ServerErrors`
recorder (a check's `t.client()` does that). `error_message` and `error_body`
read an error in either shape the lessons use: FastAPI's `{"detail": ...}`
(lessons 03-05) or RFC 9457 problem details (06 on). `UnexpectedAnswer` is what `t.json()` raises when there
is no JSON to read: its message is the request and that description, never a
JSON decoding error or the test client's internal URL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BODY_CHARS = 100


class UnexpectedAnswer(Exception):
    """A check needed a successful JSON answer and got something else."""


class ServerErrors:
    """An ASGI app that runs `app` and keeps the exceptions it raises.

    Starlette turns an exception into a 500 and re-raises it for the server; a
    test client that does not raise server exceptions drops it. Kept here, a
    check can say which line of the app a 500 came from.
    """

    def __init__(self, app: Any, explain: Callable[[BaseException], str]) -> None:
        self.app, self.explain = app, explain
        self.raised: list[BaseException] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as error:
            self.raised.append(error)
            raise

    def last(self) -> str:
        """The latest exception, explained, once; "" when there is none."""
        return self.explain(self.raised.pop()) if self.raised else ""


def short(text: str, limit: int = BODY_CHARS) -> str:
    """`text` on one line, cut at `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def request_line(response: Any) -> str:
    """'GET /api/v1/info': the method and path, without the client's host."""
    try:
        request = response.request
    except RuntimeError:  # a response made by hand has no request
        return "the request"
    query = f"?{request.url.query.decode()}" if request.url.query else ""
    return f"{request.method} {request.url.path}{query}"


def describe(response: Any, errors: ServerErrors | None = None) -> str:
    """The status and a short body, or the exception behind a 500."""
    code = response.status_code
    raised = errors.last() if errors is not None and code >= 500 else ""
    if raised:
        return f"{code}, raised by {raised}"
    problem = _problem(response)
    if problem is not None:
        first = (problem.get("errors") or [{}])[0]
        where = first.get("pointer") or first.get("parameter")
        more = f" ({where}: {first.get('detail')})" if where else ""
        return short(f"{code} {problem['title']}: {problem['detail']}{more}")
    body = short(response.text)
    return f"{code} {body}" if body else f"{code} {response.reason_phrase} (no body)"


# Members of a problem details body that change with every request.
VOLATILE = ("instance", "request_id")


def _body(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _problem(response: Any) -> dict[str, Any] | None:
    """The body, when it is RFC 9457 problem details (title, status and detail)."""
    body = _body(response)
    if isinstance(body, dict) and {"title", "status", "detail"} <= body.keys():
        return body
    return None


def error_message(response: Any) -> str | None:
    """The message of an error answer: "detail", a string in both shapes (FastAPI's
    `{"detail": "..."}` and a problem's); None when there is none."""
    body = _body(response)
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return body["detail"]
    return None


def error_body(response: Any) -> Any:
    """The JSON body of an error answer, without what a problem details body
    changes on every request (`instance`, the path; `request_id`): two answers to
    the same mistake compare equal, in either shape."""
    body = _body(response)
    if _problem(response) is not None:
        return {name: value for name, value in body.items() if name not in VOLATILE}
    return body


def json_of(response: Any, errors: ServerErrors | None = None) -> Any:
    """The JSON body of a successful answer; otherwise UnexpectedAnswer."""
    if response.status_code >= 400:
        raise UnexpectedAnswer(
            f"{request_line(response)} answered {describe(response, errors)}"
        )
    try:
        return response.json()
    except ValueError:
        raise UnexpectedAnswer(
            f"{request_line(response)} answered {response.status_code} with a body "
            f"that is not JSON: {short(response.text) or '(empty)'}"
        ) from None
