"""Checks for 06 · Errors.

Apps are built with explicit settings and a database of their own; passwords,
ids, limits and sizes are chosen at random for each run, so that no answer can
pass by remembering them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import string
from collections.abc import AsyncIterator
from typing import Any

from workshop.checking import Checker, exercise

USERS = "/api/v1/users"
PASSWORD = "correct horse battery staple"
ADMIN = "root@example.com"


def _errors(response: Any) -> list[dict[str, Any]]:
    try:
        body = response.json()
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    return errors if isinstance(errors, list) else []


def _at(errors: list[dict[str, Any]], pointer: str) -> dict[str, Any] | None:
    return next((e for e in errors if e.get("pointer") == pointer), None)


@exercise(
    "06.1",
    "Validation errors that say where, and never what was sent",
    hints=(
        "Each of Pydantic's errors says where the value was in `loc` (its "
        "location first, then the path to it) and what is wrong in `msg` and "
        "`type`. The value itself is under `input`: it must never leave.",
        "Outside the body, the parameter's name is the first item of the path. "
        "In the body, build the pointer with json_pointer() from the path (an "
        "empty path when the type is json_invalid: the path then holds a "
        "character's position). Take detail from msg and code from type, and pass "
        "every text you repeat through cut(). Do not turn the whole error into a "
        "string.",
    ),
    steps=6,
)
def validation_errors_never_echo(t: Checker) -> None:
    secret = "pw-" + secrets.token_urlsafe(6)  # too short to be accepted
    fields = [
        ("email", "ada@example"),
        ("password", secret),
        ("full_name", "Ada"),
    ]
    secrets.SystemRandom().shuffle(fields)
    long_name = "".join(secrets.choice(string.ascii_lowercase) for _ in range(5000))
    app = t.app(first_admin_email=ADMIN, first_admin_password=PASSWORD)
    with t.client(app) as client:
        response = client.post(USERS, json={**dict(fields), long_name: 1})
        if not t.status(response, 422, "a sign-up with bad values answers"):
            return
        errors = _errors(response)
        password, email = _at(errors, "#/password"), _at(errors, "#/email")
        t.expect(
            password is not None
            and email is not None
            and password.get("location") == "body"
            and password.get("code") == "string_too_short",
            "the errors point at #/password and #/email in the body, with "
            "Pydantic's error type as their code",
            got=t.describe(response),
        )
        t.expect(
            secret not in response.text,
            "the password sent is nowhere in the answer",
            got=f"{secret!r} is in the body",
        )
        longest = max((len(str(v)) for e in errors for v in e.values()), default=0)
        t.expect(
            errors and longest <= 200,
            "what the answer repeats of a 5,000-character field name is cut to "
            "200 characters",
            got=f"a member of {longest} characters",
        )
        token = client.post(
            "/api/v1/auth/token", data={"username": ADMIN, "password": PASSWORD}
        ).json()["access_token"]
        limit = 101 + secrets.randbelow(900)
        page = client.get(
            USERS,
            params={"limit": limit},
            headers={"Authorization": f"Bearer {token}"},
        )
        first = (_errors(page) or [{}])[0]
        t.expect(
            (first.get("location"), first.get("parameter")) == ("query", "limit")
            and "pointer" not in first
            and str(limit) not in json.dumps(first),
            "a ?limit= out of range is named as the query parameter `limit`, "
            "without its value",
            got=f"?limit={limit}: {t.describe(page)}",
        )
        broken = client.post(
            USERS, content=b'{"email": ', headers={"content-type": "application/json"}
        )
        first = (_errors(broken) or [{}])[0]
        t.expect(
            first.get("pointer") == "#" and first.get("code") == "json_invalid",
            "a body that is not JSON at all points at the whole body (#)",
            got=t.describe(broken),
        )


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def _fails() -> None:
    raise RuntimeError("a bug, on purpose")


@exercise(
    "06.2",
    "A request id you can trust",
    hints=(
        "SAFE_ID says what a safe id looks like, all of it: a pattern that only "
        "matches its start lets anything follow.",
        "Return the id that was sent only when it is not None and SAFE_ID "
        "matches the whole of it (fullmatch: its length is bounded by the "
        "pattern); in every other case, return a new UUID as a string.",
    ),
    steps=7,
)
def request_id_is_chosen_safely(t: Checker) -> None:
    app = t.app()
    app.add_api_route("/check-06-2/fails", _fails)
    records = _Records()
    logging.getLogger("app").addHandler(records)
    safe = f"trace-{secrets.token_hex(6)}"
    longest = "".join(secrets.choice(string.ascii_letters) for _ in range(64))
    cases = [
        (safe, True, "a safe id sent by the client is kept"),
        (longest, True, "a safe id of 64 characters is kept"),
        (longest + "x", False, "an id of 65 characters is replaced by a new UUID"),
        (
            f"{secrets.token_hex(3)} <b>hi</b>",
            False,
            "an id that only starts safely is replaced by a new UUID",
        ),
        ("", False, "an empty id is replaced by a new UUID"),
    ]
    with t.client(app) as client:
        for sent, kept, text in cases:
            answer = client.get("/api/v1/nowhere", headers={"X-Request-ID": sent})
            got = answer.headers.get("X-Request-ID", "")
            t.expect(
                got == sent if kept else _is_uuid(got),
                text,
                got=f"X-Request-ID: {got!r}",
            )
        plain = [client.get("/health") for _ in range(3)]
        ids = [answer.headers.get("X-Request-ID", "") for answer in plain]
        t.expect(
            len(set(ids)) == 3
            and all(map(_is_uuid, ids))
            and all(answer.status_code == 200 for answer in plain),
            "requests without an id are answered, each with a new UUID",
            got=[f"{a.status_code} {a.headers.get('X-Request-ID')!r}" for a in plain],
        )
        failed = client.get("/check-06-2/fails", headers={"X-Request-ID": safe})
    logging.getLogger("app").removeHandler(records)
    said = failed.json().get("request_id") if failed.status_code == 500 else None
    t.expect(
        said == safe == failed.headers.get("X-Request-ID")
        and any(safe in message for message in records.messages),
        "a 500's body, its X-Request-ID and the log line all carry the id sent",
        got=f"body {said!r}, header {failed.headers.get('X-Request-ID')!r}, "
        f"log {records.messages[-1:]!r}",
    )


def _is_uuid(text: str) -> bool:
    from uuid import UUID

    try:
        return str(UUID(text)) == text
    except ValueError:
        return False


def _sign_up_body(email: str, size: int) -> bytes:
    """A valid sign-up of exactly `size` bytes: JSON allows spaces before `}`."""
    user = {"email": email, "full_name": "Chunked", "password": PASSWORD}
    body = json.dumps(user).encode()
    return body[:-1] + b" " * (size - len(body)) + b"}"


async def _stream(app: Any, body: bytes, chunk: int) -> tuple[Any, int]:
    """POST `body` to /users in chunks of `chunk` bytes, without a length, as a
    server hands it over; returns the answer and how many chunks were pulled."""
    import httpx2

    pulled = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal pulled
        for start in range(0, len(body), chunk):
            pulled += 1
            yield body[start : start + chunk]

    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://c") as api:
        response = await api.post(
            USERS, content=chunks(), headers={"content-type": "application/json"}
        )
    return response, pulled


@exercise(
    "06.3",
    "A limit for bodies without a length",
    hints=(
        "The middleware sees each chunk in the messages `receive` returns: wrap "
        "receive, as the request-id middleware wraps send, and keep a running "
        "total. The limit is the middleware's own, from settings.",
        "The app below must call your wrapper, not the real receive. The total "
        "has to outlive each call of the wrapper, and only http.request "
        "messages carry a body. Going over the limit should end the request the "
        "same way a too-large Content-Length already does in this middleware.",
    ),
    steps=6,
)
def chunked_bodies_are_limited(t: Checker) -> None:
    limit = 600 + secrets.randbelow(800)
    chunk = 50 + secrets.randbelow(50)
    app = t.app(max_body_bytes=limit)
    over, exact = (f"{n}-{secrets.token_hex(3)}@example.com" for n in ("over", "at"))

    async def scenario() -> dict[str, Any]:
        import httpx2

        seen: dict[str, Any] = {}
        async with app.router.lifespan_context(app):
            transport = httpx2.ASGITransport(app=app)
            async with httpx2.AsyncClient(
                transport=transport, base_url="http://c"
            ) as api:
                seen["announced"] = await api.post(
                    USERS,
                    content=_sign_up_body(over, limit + 1),
                    headers={"content-type": "application/json"},
                )
            seen["over"] = await _stream(app, _sign_up_body(over, 3 * limit), chunk)
            seen["exact"] = await _stream(app, _sign_up_body(exact, limit), chunk)
            seen["one over"] = await _stream(app, _sign_up_body(over, limit + 1), chunk)
            async with httpx2.AsyncClient(
                transport=transport, base_url="http://c"
            ) as api:
                form = {"username": over, "password": PASSWORD}
                seen["sign in"] = await api.post("/api/v1/auth/token", data=form)
        return seen

    seen = asyncio.run(scenario())
    t.status(seen["announced"], 413, "a body that announces its length over the limit")
    response, pulled = seen["over"]
    crossing = limit // chunk + 1
    t.expect(
        response.status_code == 413
        and response.headers.get("content-type") == "application/problem+json",
        "a chunked body three times the limit answers 413, as a problem",
        got=f"limit {limit} bytes: {t.describe(response)}",
    )
    t.expect(
        pulled == crossing,
        "it is refused at the chunk that crosses the limit, not read to its end",
        got=f"{pulled} chunks of {chunk} bytes were read; chunk {crossing} crosses "
        f"the limit of {limit}",
    )
    t.status(seen["sign in"], 401, "nothing was stored: that account cannot sign in")
    response, _ = seen["exact"]
    t.status(response, 201, "a chunked sign-up of exactly the limit is accepted")
    response, _ = seen["one over"]
    t.status(response, 413, "a chunked body one byte over the limit is refused")
