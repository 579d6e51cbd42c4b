"""Checks for 06 · Errors.

Apps are built with explicit settings and a database of their own; passwords,
ids, limits and sizes are chosen at random for each run
(workshop.exercises.chance), on top of fixed cases, so that no answer can pass
by remembering them. Where the exercise is a function, the check calls it with
inputs it chose and compares each answer with its own reference (written here,
not imported from the lesson).

Properties, each with the cases that exercise it:

06.1 (field_error)
- An error says where (the parameter's name; a JSON Pointer into the body, with
  ~ and / escaped; # for a body that is not JSON) and what (Pydantic's msg and
  type), and equals the reference on every generated error: each location, paths
  of 0 to 3 parts with names, indexes and characters to escape.
- It never holds the value sent, whatever its type: strings, numbers, lists and
  objects as `input`, and a password sent as a number over HTTP.
- What it repeats is cut to 200 characters: names of 199, 200, 201 and 5,000
  characters.

06.2 (choose_request_id)
- An id is kept exactly when it is 1 to 64 characters from A-Z a-z 0-9 . _ : + =
  -; anything else gets a new UUID each time: lengths 0, 1, 64 and 65, every
  forbidden ASCII character at the start, middle and end, a trailing newline,
  non-ASCII letters and digits, and random ids of both kinds.
- Over HTTP the id is echoed, and a 500's body, header and log line carry it.

06.3 (BodyLimitMiddleware)
- A body is refused (413, a problem) as soon as its bytes cross the limit, and
  nothing is stored, however the server hands it over: chunks that end with an
  empty one, one final chunk that carries it all, a Content-Length that lies.
- A body of exactly the limit is accepted, one byte more is not.
- The count belongs to one request: two requests interleaved on one app, each
  under the limit and together over it, are both accepted.
"""

from __future__ import annotations

import asyncio
import json
import logging
import string
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

from workshop.checking import Checker, exercise
from workshop.exercises.chance import draw, hex_token

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
    steps=9,
)
def validation_errors_never_echo(t: Checker) -> None:
    rng = draw()
    secret = "pw-" + hex_token(rng, 4)  # too short to be accepted
    fields = [
        ("email", "ada@example"),
        ("password", secret),
        ("full_name", "Ada"),
    ]
    rng.shuffle(fields)
    long_name = "".join(rng.choice(string.ascii_lowercase) for _ in range(5000))
    _field_errors_agree(t, rng)
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
        number = rng.randrange(10**11, 10**12)
        numeric = client.post(
            USERS,
            json={"email": "ada@example.com", "full_name": "Ada", "password": number},
        )
        t.expect(
            numeric.status_code == 422 and str(number) not in numeric.text,
            "a password sent as a number is refused, and is nowhere in the answer",
            got=f"password {number}: {t.describe(numeric)}",
        )
        limit = 101 + rng.randrange(900)
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


MAX_TEXT = 200


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _expected_field_error(error: dict[str, Any]) -> dict[str, Any]:
    """What field_error(error) must give, worked out here from the rules."""
    location, *path = error["loc"]
    out: dict[str, Any] = {"location": location}
    if location != "body":
        out["parameter"] = _cut(str(path[0]))
    else:
        parts = [] if error["type"] == "json_invalid" else path
        escaped = [quote(str(p).replace("~", "~0").replace("/", "~1")) for p in parts]
        out["pointer"] = _cut("#/" + "/".join(escaped) if escaped else "#")
    return {**out, "detail": _cut(error["msg"]), "code": error["type"]}


def _generated_errors(rng: Any, secret: str) -> list[dict[str, Any]]:
    """Pydantic-shaped errors: every location, paths of 0 to 3 parts, names to
    escape, texts around the 200-character cut, and inputs of every JSON type,
    each holding `secret`."""
    names = [
        "email",
        "a/b",
        "x~y",
        "two words",
        "é",
        "0",
        *("n" * k for k in (199, 200, 201)),
    ]
    inputs: list[Any] = [
        secret,
        int(secret.encode().hex()[:12], 16),
        [secret],
        {"nested": {"password": secret}},
        3.5e9 + len(secret),
    ]
    kinds = ["string_too_short", "missing", "int_parsing", "extra_forbidden"]
    errors = []
    for n, location in enumerate(["body", "query", "path", "header", "cookie"] * 4):
        depth = n % 4 if location == "body" else 1
        path = [rng.choice([*names, rng.randrange(50)]) for _ in range(depth)]
        if location != "body" and isinstance(path[0], int):
            path[0] = "limit"
        msg = "Input should be valid" + "!" * rng.choice([0, 178, 179, 180, 5000])
        errors.append(
            {
                "type": kinds[n % len(kinds)],
                "loc": (location, *path),
                "msg": msg,
                "input": inputs[n % len(inputs)],
                "ctx": {"min_length": 8},
                "url": "https://errors.pydantic.dev/2/v/string_too_short",
            }
        )
    # Both characters a pointer escapes, on every run: drawn paths miss them
    # about one run in four.
    errors.append(
        {
            "type": "string_too_short",
            "loc": ("body", "a/b", rng.randrange(50), "x~y"),
            "msg": "Input should be valid",
            "input": secret,
            "ctx": {"min_length": 8},
            "url": "https://errors.pydantic.dev/2/v/string_too_short",
        }
    )
    errors.append(
        {
            "type": "json_invalid",
            "loc": ("body", rng.randrange(1, 500)),
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": "Expecting value"},
        }
    )
    return errors


def _field_errors_agree(t: Checker, rng: Any) -> None:
    """Two steps: field_error agrees with the reference on generated errors, and
    none of its answers holds the value that was sent."""
    from app.http_errors import field_error

    secret = "s3cret-" + hex_token(rng, 5)
    differences, leaks = [], []
    for error in _generated_errors(rng, secret):
        try:
            got: Any = field_error(dict(error)).model_dump(exclude_none=True)
        except Exception as problem:
            got = f"{type(problem).__name__}: {problem}"
        expected = _expected_field_error(error)
        if got != expected:
            differences.append(
                f"field_error({_short(error)}) = {_short(got)}, expected {_short(expected)}"
            )
        shown = json.dumps(got, default=str)
        value = error["input"]
        if secret in shown or (not isinstance(value, dict) and str(value) in shown):
            leaks.append(f"input {value!r} is in {_short(got)}")
    t.expect(
        not differences,
        "field_error says where and what, cut to 200 characters, for errors in "
        "every location (paths of 0 to 3 parts, names to escape)",
        got="; ".join(differences[:2])
        + (f" (and {len(differences) - 2} more)" if len(differences) > 2 else ""),
    )
    t.expect(
        not leaks,
        "no answer of field_error holds the value sent, whether a string, a "
        "number, a list or an object",
        got="; ".join(leaks[:2]),
    )


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    steps=8,
)
def request_id_is_chosen_safely(t: Checker) -> None:
    rng = draw()
    _ids_agree(t, rng)
    app = t.app()
    app.add_api_route("/check-06-2/fails", _fails)
    records = _Records()
    logging.getLogger("app").addHandler(records)
    safe = f"trace-{hex_token(rng, 6)}"
    longest = "".join(rng.choice(string.ascii_letters) for _ in range(64))
    cases = [
        (safe, True, "a safe id sent by the client is kept"),
        (longest, True, "a safe id of 64 characters is kept"),
        (longest + "x", False, "an id of 65 characters is replaced by a new UUID"),
        (
            f"{hex_token(rng)} <b>hi</b>",
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


SAFE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "._:+=-")


def _is_safe(sent: str) -> bool:
    """The rule, written out: 1 to 64 characters, each an allowed ASCII one."""
    return 1 <= len(sent) <= 64 and all(c in SAFE_CHARACTERS for c in sent)


def _candidate_ids(rng: Any) -> list[str]:
    """Fixed ids at every edge of the rule, then random ones of both kinds."""
    allowed = sorted(SAFE_CHARACTERS)
    base = "".join(rng.choice(allowed) for _ in range(10))
    forbidden = [chr(c) for c in range(128) if chr(c) not in SAFE_CHARACTERS]
    ids = ["", "a", "9", "-", "A" * 64, "A" * 65, "b" * 63 + "\n"]
    ids += [base + "\n", base + "\r\n", "\n" + base, base + "\x00"]
    ids += [
        "café",
        "straße",
        "trace-é",
        "٣٣٣",
        "\uff54\uff52\uff41\uff43\uff45",
        "ä" * 10,
        base + "\u2028",
    ]
    for bad in forbidden:  # every forbidden ASCII character, at each position
        ids += [bad + base, base[:5] + bad + base[5:], base + bad]
    for _ in range(40):
        size = rng.choice([1, 2, 30, 63, 64, 65, 100])
        pool = allowed if rng.random() < 0.6 else allowed + forbidden + ["é", "\n"]
        ids.append("".join(rng.choice(pool) for _ in range(size)))
    return ids


def _ids_agree(t: Checker, rng: Any) -> None:
    """One step: choose_request_id keeps exactly the safe ids, and gives a new
    UUID, different each time, for every other."""
    from app.middleware.request_id import choose_request_id

    wrong = []
    for sent in [None, *_candidate_ids(rng)]:
        keep = sent is not None and _is_safe(sent)
        try:
            first, second = choose_request_id(sent), choose_request_id(sent)
        except Exception as problem:
            wrong.append(f"{sent!r} raised {type(problem).__name__}: {problem}")
            continue
        if keep and first != sent:
            wrong.append(f"{sent!r} gave {first!r}, expected it kept")
        if not keep and not (_is_uuid(first) and _is_uuid(second) and first != second):
            wrong.append(f"{sent!r} gave {first!r}, expected a new UUID")
    t.expect(
        not wrong,
        "choose_request_id keeps an id exactly when it is 1 to 64 of A-Z a-z 0-9 "
        ". _ : + = - (tried: lengths 0 to 65, a trailing newline, non-ASCII "
        "letters and digits, each forbidden character at each end and inside)",
        got="; ".join(wrong[:3])
        + (f" (and {len(wrong) - 3} more)" if len(wrong) > 3 else ""),
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


def _pieces(body: bytes, size: int) -> list[bytes]:
    return [body[start : start + size] for start in range(0, len(body), size)]


class _Turns:
    """Two requests that take turns reading their body, one chunk each, as a
    server with two connections hands them to one app."""

    def __init__(self) -> None:
        self.turn = 0
        self.done = [False, False]
        self.changed = asyncio.Condition()

    async def wait(self, who: int) -> None:
        async with self.changed:
            await self.changed.wait_for(
                lambda: self.turn % 2 == who or self.done[1 - who]
            )

    async def next(self, *, finished: int | None = None) -> None:
        async with self.changed:
            if finished is None:
                self.turn += 1
            else:
                self.done[finished] = True
            self.changed.notify_all()


async def _serve(
    app: Any,
    chunks: list[bytes],
    headers: list[tuple[bytes, bytes]] | None = None,
    *,
    turns: _Turns | None = None,
    who: int = 0,
) -> tuple[int, int]:
    """POST `chunks` to /users the way Uvicorn calls an app: the last chunk ends
    the body (more_body false) and may carry data; once the body is read,
    receive() waits for the answer to end, then says the client left. Returns
    the status and how many chunks were read."""
    pulled, statuses = 0, []
    answered = asyncio.Event()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": USERS,
        "raw_path": USERS.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"check"),
            (b"content-type", b"application/json"),
            *(headers or [(b"transfer-encoding", b"chunked")]),
        ],
        "client": ("127.0.0.1", 40000 + who),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled < len(chunks):
            if turns is not None:
                await turns.wait(who)
            pulled += 1
            message = {
                "type": "http.request",
                "body": chunks[pulled - 1],
                "more_body": pulled < len(chunks),
            }
            if turns is not None:
                await turns.next()
            return message
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])
        if message["type"] == "http.response.body" and not message.get("more_body"):
            answered.set()

    try:
        await app(scope, receive, send)
    finally:
        answered.set()
        if turns is not None:
            await turns.next(finished=who)
    return (statuses[0] if statuses else 0), pulled


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
    steps=9,
)
def chunked_bodies_are_limited(t: Checker) -> None:
    rng = draw()
    limit = 600 + rng.randrange(800)
    chunk = 50 + rng.randrange(50)
    app = t.app(max_body_bytes=limit)
    over, exact = (f"{n}-{hex_token(rng)}@example.com" for n in ("over", "at"))
    pair = [f"pair{n}-{hex_token(rng)}@example.com" for n in (1, 2)]

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
            big = _sign_up_body(over, 3 * limit)
            seen["one message"] = await _serve(app, [big])
            lie = [(b"content-length", b"%d" % rng.randrange(2, 60))]
            seen["lying length"] = await _serve(app, _pieces(big, chunk), lie)
            turns = _Turns()
            bodies = [_sign_up_body(email, limit * 3 // 4) for email in pair]
            seen["interleaved"] = await asyncio.gather(
                *(
                    _serve(app, _pieces(body, chunk), turns=turns, who=who)
                    for who, body in enumerate(bodies)
                )
            )
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
    status, _ = seen["one message"]
    t.expect(
        status == 413,
        "a body over the limit in one final message (more_body false, no "
        "Content-Length) answers 413",
        got=f"{3 * limit} bytes, limit {limit}: {status}",
    )
    status, pulled = seen["lying length"]
    t.expect(
        status == 413 and pulled == crossing,
        "a Content-Length that lies (a few bytes announced, three times the limit "
        "sent) is refused at the chunk that crosses the limit",
        got=f"{status}, after {pulled} chunks of {chunk} bytes (limit {limit})",
    )
    statuses = [status for status, _ in seen["interleaved"]]
    t.expect(
        statuses == [201, 201],
        "two sign-ups interleaved on one app, each three quarters of the limit, "
        "are both accepted: each request has a count of its own",
        got=f"{statuses}, limit {limit}",
    )
