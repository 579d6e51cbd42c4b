"""Checks for 06 · Errors.

Apps are built with explicit settings and a database of their own; passwords,
ids, limits and sizes are chosen at random for each run
(workshop.exercises.chance), on top of fixed cases, so that no answer can pass
by remembering them. The checks reach the app through the checker only (judged
outside the sandbox when grading, workshop.grading.judge): requests, calls, and
observations (workshop.exercises.observations.lesson06) that hand the attendee's
function or middleware inputs chosen here and say what it did. Fixed cases are
judged by the rules written out here; drawn ones are compared with the
solution's function or middleware, run here (workshop.exercises.differential).

Properties, each with the cases that exercise it:

06.1 (field_error)
- An error says where (the parameter's name; a JSON Pointer into the body, with
  ~ and / escaped; # for a body that is not JSON) and what (Pydantic's msg and
  type): fixed errors in each location, paths of 0 to 3 parts with names,
  indexes and characters to escape, an item of a list parameter (its name, then
  its index), JSON of the wrong type (json_type: it has a place); and as the
  solution says on errors drawn for the run (any location, paths that start
  with an index, Unicode names, list parameters' items).
- It never holds the value sent, whatever its type: strings, numbers, lists and
  objects as `input`, and a password sent as a number over HTTP.
- What it repeats is cut to 200 characters: names of 199, 200, 201 and 5,000
  characters.

06.2 (choose_request_id)
- An id is kept exactly when it is 1 to 64 characters from A-Z a-z 0-9 . _ : + =
  -; anything else gets a new UUID each time: lengths 0, 1, 64 and 65, every
  forbidden ASCII character at the start, middle and end, a trailing newline,
  non-ASCII letters and digits; and as the solution decides on ids drawn for
  the run (lengths around 64, trailing newlines, Unicode word characters,
  among them those that match a letter when case is ignored).
- Over HTTP the id is echoed, and a 500's body, header and log line carry it.

06.3 (BodyLimitMiddleware)
- A body is refused (413, a problem that names the limit, as a too-large
  Content-Length's does) as soon as its bytes cross the limit, and nothing is
  stored, however the server hands it over: chunks that end with an
  empty one, one final chunk that carries it all, a Content-Length that lies.
- A body of exactly the limit is accepted, one byte more is not.
- The count belongs to one request: two requests interleaved on one app, each
  under the limit and together over it, are both accepted.
- On request sequences drawn for the run (limits, sizes around them, chunks of
  any size with a last one that carries data or not, lengths announced
  truthfully, falsely or not at all, requests interleaved), the middleware
  answers and reads as the solution's does.
"""

from __future__ import annotations

import asyncio
import functools
import json
import random
import string
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlencode

from workshop.checking import Checker, exercise
from workshop.exercises import serving
from workshop.exercises.chance import draw, hex_token
from workshop.exercises.differential import solution_function
from workshop.exercises.observations import lesson06 as seen

USERS = "/api/v1/users"
PASSWORD = "correct horse battery staple"
ADMIN = "root@example.com"
DRAWN_ERRORS = 200  # errors drawn for the differential step of 06.1
DRAWN_IDS = 300  # ids drawn for the differential step of 06.2
DRAWN_LIMITS, DRAWN_BATCHES = 5, 16  # request sequences drawn for 06.3, per limit


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
    steps=10,
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
LOCATIONS = ["body", "query", "path", "header", "cookie"]
NAMES = [
    "email",
    "a/b",
    "x~y",
    "two words",
    "é",
    "0",
    *("n" * k for k in (199, 200, 201)),
]
KINDS = ["string_too_short", "missing", "int_parsing", "extra_forbidden"]


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


def _sent_values(secret: str) -> list[Any]:
    """Values sent, of every JSON type, each holding `secret` or a number of its own."""
    number = int(secret.encode().hex()[:12], 16)
    return [
        secret,
        number,
        [secret],
        {"nested": {"password": secret}},
        3.5e9 + len(secret),
    ]


def _fixed_errors(secret: str) -> list[dict[str, Any]]:
    """Pydantic-shaped errors at every edge: each location with each name (to
    escape, around the 200-character cut), body paths of 0 to 3 parts with
    indexes inside, messages around the cut, inputs of every JSON type."""
    bodies: list[list[Any]] = [[], ["a/b"], ["x~y", 3], ["two words", 12, "é"]]
    inputs = _sent_values(secret)
    errors = []
    for n, location in enumerate(LOCATIONS * 4):
        rounds = n // len(LOCATIONS)
        path = bodies[rounds] if location == "body" else [NAMES[n % len(NAMES)]]
        bangs = [0, 178, 179, 180, 5000][(n + rounds) % 5]
        errors.append(
            _pydantic_error(
                KINDS[n % 4], [location, *path], bangs, inputs[(n + rounds) % 5]
            )
        )
    for name in NAMES:  # each name in the body, after an index
        errors.append(_pydantic_error("missing", ["body", "items", 0, name], 0, secret))
    errors.append(
        _pydantic_error("string_too_short", ["body", "a/b", 7, "x~y"], 0, secret)
    )
    for n, location in enumerate(LOCATIONS[1:]):  # a list parameter's item
        name = NAMES[(n + 1) % len(NAMES)]
        errors.append(
            _pydantic_error("int_parsing", [location, name, n + 1], 0, secret)
        )
    errors.append(  # JSON that parses, of the wrong type: it has a place
        {
            "type": "json_type",
            "loc": ["body", "settings"],
            "msg": "JSON input should be string, bytes or bytearray",
            "input": [secret],
        }
    )
    errors.append(
        {
            "type": "json_invalid",
            "loc": ["body", 17],
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": "Expecting value"},
        }
    )
    return errors


def _pydantic_error(kind: str, loc: list[Any], bangs: int, sent: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "loc": loc,
        "msg": "Input should be valid" + "!" * bangs,
        "input": sent,
        "ctx": {"min_length": 8},
        "url": f"https://errors.pydantic.dev/2/v/{kind}",
    }


def _drawn_errors(rng: random.Random, secret: str, count: int) -> list[dict[str, Any]]:
    """Errors as Pydantic could make them, drawn: any location, body paths of 0
    to 3 parts that often start with an index (a list sent as the body),
    names with characters to escape and Unicode, messages of any length around
    the cut, JSON that does not parse, and any value sent."""
    pool = [*NAMES, "ü/ö", "~1", "~", "/", "%20", "a b~c/d", "ß", "日本", "名字"]
    inputs = [*_sent_values(secret), [int(secret.encode().hex()[:10], 16), secret]]
    errors = []
    for _ in range(count):
        location = rng.choice(["body"] * 5 + LOCATIONS[1:])
        if location == "body" and rng.random() < 0.1:
            errors.append(
                {
                    "type": "json_invalid",
                    "loc": ["body", rng.randrange(1, 70_000)],
                    "msg": "JSON decode error",
                    "input": rng.choice(inputs),
                    "ctx": {"error": "Expecting value"},
                }
            )
            continue
        depth = rng.randrange(4) if location == "body" else 1
        path: list[Any] = [
            rng.randrange(100) if rng.random() < 0.4 else rng.choice(pool)
            for _ in range(depth)
        ]
        if location != "body":
            path = [rng.choice(pool)]
            if rng.random() < 0.3:  # an item of a list parameter: its index follows
                path.append(rng.randrange(9))
        bangs = rng.choice([0, rng.randrange(300), 179, 180, 5000])
        errors.append(
            _pydantic_error(
                rng.choice(KINDS), [location, *path], bangs, rng.choice(inputs)
            )
        )
    return errors


def _leaves(value: Any) -> list[str]:
    """The texts and numbers inside a value sent, as a leak would show them."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [str(value)]


def _made_by_solution(error: dict[str, Any]) -> Any:
    """What the solution's field_error makes of `error`, as the observation says it."""
    function = solution_function(
        "06.1", "field_error", ("cut", "json_pointer", "MAX_TEXT"), FieldError=_fields
    )
    return function({**error, "loc": tuple(error["loc"])})


def _fields(**fields: Any) -> dict[str, Any]:
    """FieldError's fields without the empty ones (model_dump(exclude_none=True))."""
    return {name: value for name, value in fields.items() if value is not None}


def _field_errors_agree(t: Checker, rng: random.Random) -> None:
    """Three steps: field_error agrees with the rules on fixed errors and with
    the solution on drawn ones, and none of its answers holds the value sent."""
    secret = "s3cret-" + hex_token(rng, 5)
    fixed = _fixed_errors(secret)
    drawn = _drawn_errors(rng, secret, DRAWN_ERRORS)
    made = t.observe(seen.field_errors, errors=fixed + drawn)
    if not (isinstance(made, list) and len(made) == len(fixed) + len(drawn)):
        raise ValueError(f"field_errors saw {_short(made)}")
    differences, leaks, disagreements = [], [], []
    for error, got in zip(fixed, made, strict=False):
        expected = _expected_field_error(error)
        if got != expected:
            differences.append(
                f"field_error({_short(error)}) = {_short(got)}, expected {_short(expected)}"
            )
    for error, got in zip(fixed + drawn, made, strict=True):
        shown = json.dumps(got)
        if secret in shown or any(leaf in shown for leaf in _leaves(error["input"])):
            leaks.append(f"input {_short(error['input'])} is in {_short(got)}")
    for error, got in zip(drawn, made[len(fixed) :], strict=True):
        expected = _made_by_solution(error)
        if got != expected:
            disagreements.append(
                f"field_error({_short(error)}) = {_short(got)}, the solution's "
                f"{_short(expected)}"
            )
    t.expect(
        not differences,
        "field_error says where and what, cut to 200 characters, for errors in "
        "every location (paths of 0 to 3 parts, names to escape, a list "
        "parameter's item, JSON of the wrong type)",
        got=_some(differences),
    )
    t.expect(
        not leaks,
        "no answer of field_error holds the value sent, whether a string, a "
        "number, a list or an object",
        got=_some(leaks),
    )
    t.expect(
        not disagreements,
        f"on {DRAWN_ERRORS} errors drawn for this run (paths that start with an "
        "index, Unicode names, any value sent), field_error gives what the "
        "solution's gives",
        got=_some(disagreements),
    )


def _some(problems: list[str], shown: int = 2) -> str:
    more = len(problems) - shown
    return "; ".join(problems[:shown]) + (f" (and {more} more)" if more > 0 else "")


def _short(value: Any, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    steps=9,
)
def request_id_is_chosen_safely(t: Checker) -> None:
    rng = draw()
    _ids_agree(t, rng)
    _ids_as_the_solution_chooses(t, rng)
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
    with t.client(t.app()) as client:
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
    failed = t.observe(seen.failed_request, request_id=safe)
    logs = failed.get("logs") if isinstance(failed, dict) else None
    logs = [m for m in logs if isinstance(m, str)] if isinstance(logs, list) else []
    t.expect(
        isinstance(failed, dict)
        and failed.get("status") == 500
        and failed.get("request_id") == safe == failed.get("header")
        and any(safe in message for message in logs),
        "a 500's body, its X-Request-ID and the log line all carry the id sent",
        got=f"body {failed.get('request_id')!r}, header {failed.get('header')!r}, "
        f"log {logs[-1:]!r}"
        if isinstance(failed, dict)
        else _short(failed),
    )


CHOOSE = "app.middleware.request_id:choose_request_id"
SAFE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "._:+=-")
# Word characters outside ASCII; the first four match a letter of [a-z] when
# case is ignored (the Kelvin sign, the long s, the dotless i, the dotted I).
UNICODE_WORD = "\u212a\u017f\u0131\u0130éßäø٣\uff54µǅ日"


def _is_safe(sent: str) -> bool:
    """The rule, written out: 1 to 64 characters, each an allowed ASCII one."""
    return 1 <= len(sent) <= 64 and all(c in SAFE_CHARACTERS for c in sent)


def _candidate_ids(rng: random.Random) -> list[str]:
    """Ids at every edge of the rule."""
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
    return ids


def _drawn_ids(rng: random.Random, count: int) -> list[str]:
    """Ids of lengths around the bound, half of them safe but for one character
    put anywhere: a trailing newline, a Unicode word character, a forbidden one."""
    allowed = sorted(SAFE_CHARACTERS)
    forbidden = [chr(c) for c in range(128) if chr(c) not in SAFE_CHARACTERS]
    ids = []
    for _ in range(count):
        size = rng.choice([1, 2, rng.randrange(3, 63), 63, 64, 65, 100])
        sent = "".join(rng.choice(allowed) for _ in range(size))
        spoiler = rng.random()
        if spoiler < 0.5:
            where = rng.randrange(len(sent) + 1)
            bad = rng.choice(UNICODE_WORD) if spoiler < 0.35 else rng.choice(forbidden)
            sent = sent[:where] + bad + sent[where + 1 :]
        elif spoiler < 0.6:
            sent = sent[:63] + "\n"
        ids.append(sent)
    return ids


def _ids_agree(t: Checker, rng: random.Random) -> None:
    """One step: choose_request_id keeps exactly the safe ids, and gives a new
    UUID, different each time, for every other."""
    wrong = []
    for sent in [None, *_candidate_ids(rng)]:
        keep = sent is not None and _is_safe(sent)
        first, second = t.call(CHOOSE, sent=sent), t.call(CHOOSE, sent=sent)
        if first.raised or second.raised:
            made = first if first.raised else second
            wrong.append(f"{sent!r} raised {made.type}: {made.message}")
            continue
        one, two = _text(first.returned), _text(second.returned)
        if keep and one != sent:
            wrong.append(f"{sent!r} gave {one!r}, expected it kept")
        if not keep and not (_is_uuid(one) and _is_uuid(two) and one != two):
            wrong.append(f"{sent!r} gave {one!r}, expected a new UUID")
    t.expect(
        not wrong,
        "choose_request_id keeps an id exactly when it is 1 to 64 of A-Z a-z 0-9 "
        ". _ : + = - (tried: lengths 0 to 65, a trailing newline, non-ASCII "
        "letters and digits, each forbidden character at each end and inside)",
        got=_some(wrong, 3),
    )


def _ids_as_the_solution_chooses(t: Checker, rng: random.Random) -> None:
    """One step: on drawn ids, the id is kept exactly when the solution keeps it."""
    solution = solution_function("06.2", "choose_request_id", ("SAFE_ID",))
    wrong = []
    for sent in _drawn_ids(rng, DRAWN_IDS):
        kept = solution(sent) == sent
        made = t.call(CHOOSE, sent=sent)
        got = _text(made.returned)
        if made.raised or (got != sent if kept else not _is_uuid(got) or got == sent):
            yours = f"raised {made.type}" if made.raised else repr(got)
            wrong.append(
                f"{sent!r}: yours gave {yours}, the solution "
                + ("kept it" if kept else "a new UUID")
            )
    t.expect(
        not wrong,
        f"on {DRAWN_IDS} ids drawn for this run (lengths around 64, trailing "
        "newlines, Unicode word characters), an id is kept exactly when the "
        "solution keeps it",
        got=_some(wrong, 3),
    )


def _text(value: Any) -> str:
    return value if type(value) is str else ""


def _is_uuid(text: str) -> bool:
    from uuid import UUID

    try:
        return str(UUID(text)) == text
    except ValueError:
        return False


def _sign_up_body(email: str, size: int) -> str:
    """A valid sign-up of exactly `size` bytes: JSON allows spaces before `}`."""
    user = {"email": email, "full_name": "Chunked", "password": PASSWORD}
    body = json.dumps(user)
    return body[:-1] + " " * (size - len(body)) + "}"


def _pieces(body: str, size: int) -> list[str]:
    return [body[start : start + size] for start in range(0, len(body), size)]


JSON = ["content-type", "application/json"]
CHUNKED = ["transfer-encoding", "chunked"]


def _posted(
    chunks: list[str], *headers: list[str], path: str = USERS
) -> dict[str, Any]:
    """A request as the check describes it to workshop.exercises.serving."""
    return {"path": path, "headers": list(headers), "chunks": chunks}


def _streamed(body: str, chunk: int) -> dict[str, Any]:
    """`body` in chunks of `chunk` bytes, then an empty last one, without a length,
    as a streaming client's body reaches the app."""
    return _posted([*_pieces(body, chunk), ""], JSON, CHUNKED)


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
    steps=10,
)
def chunked_bodies_are_limited(t: Checker) -> None:
    rng = draw()
    limit = 600 + rng.randrange(800)
    chunk = 50 + rng.randrange(50)
    over, exact = (f"{n}-{hex_token(rng)}@example.com" for n in ("over", "at"))
    pair = [f"pair{n}-{hex_token(rng)}@example.com" for n in (1, 2)]
    big = _sign_up_body(over, 3 * limit)
    lie = ["content-length", str(rng.randrange(2, 60))]
    announced = _sign_up_body(over, limit + 1)
    bodies = [_pieces(_sign_up_body(email, limit * 3 // 4), chunk) for email in pair]
    form = urlencode({"username": over, "password": PASSWORD})
    named = {
        "announced": [_posted([announced], JSON, ["content-length", str(limit + 1)])],
        "over": [_streamed(big, chunk)],
        "exact": [_streamed(_sign_up_body(exact, limit), chunk)],
        "one over": [_streamed(_sign_up_body(over, limit + 1), chunk)],
        "one message": [_posted([big], JSON, CHUNKED)],
        "lying length": [_posted(_pieces(big, chunk), JSON, lie)],
        "interleaved": [_posted(body, JSON, CHUNKED) for body in bodies],
        "sign in": [
            _posted(
                [form],
                ["content-type", "application/x-www-form-urlencoded"],
                ["content-length", str(len(form))],
                path="/api/v1/auth/token",
            )
        ],
    }
    batches = [
        {
            "requests": requests,
            "order": [0, 1] * len(bodies[0]) if len(requests) > 1 else None,
        }
        for requests in named.values()
    ]
    answers = t.observe(
        seen.requests_served, settings={"max_body_bytes": limit}, batches=batches
    )
    if not (
        isinstance(answers, list)
        and len(answers) == sum(len(r) for r in named.values())
    ):
        raise ValueError(f"requests_served saw {_short(answers)}")
    got = iter(answers)
    saw = {name: [next(got) for _ in requests] for name, requests in named.items()}
    first = {name: each[0] for name, each in saw.items()}
    t.expect(
        first["announced"]["status"] == 413,
        "a body that announces its length over the limit (413)",
        got=_said(first["announced"]),
    )
    crossing = limit // chunk + 1
    said = _detail(first["announced"])
    t.expect(
        first["over"]["status"] == 413
        and first["over"]["type"] == "application/problem+json"
        and said is not None
        and str(limit) in said
        and _detail(first["over"]) == said,
        "a chunked body three times the limit answers 413, as a problem that says "
        "what a too-large Content-Length's says (the limit)",
        got=f"limit {limit} bytes: {_said(first['over'])}; a too-large "
        f"Content-Length: {_said(first['announced'])}",
    )
    t.expect(
        first["over"]["pulled"] == crossing,
        "it is refused at the chunk that crosses the limit, not read to its end",
        got=f"{first['over']['pulled']} chunks of {chunk} bytes were read; chunk "
        f"{crossing} crosses the limit of {limit}",
    )
    t.expect(
        first["sign in"]["status"] == 401,
        "nothing was stored: that account cannot sign in (401)",
        got=_said(first["sign in"]),
    )
    t.expect(
        first["exact"]["status"] == 201,
        "a chunked sign-up of exactly the limit is accepted (201)",
        got=_said(first["exact"]),
    )
    t.expect(
        first["one over"]["status"] == 413,
        "a chunked body one byte over the limit is refused (413)",
        got=_said(first["one over"]),
    )
    t.expect(
        first["one message"]["status"] == 413,
        "a body over the limit in one final message (more_body false, no "
        "Content-Length) answers 413",
        got=f"{3 * limit} bytes, limit {limit}: {first['one message']['status']}",
    )
    status, pulled = first["lying length"]["status"], first["lying length"]["pulled"]
    t.expect(
        status == 413 and pulled == crossing,
        "a Content-Length that lies (a few bytes announced, three times the limit "
        "sent) is refused at the chunk that crosses the limit",
        got=f"{status}, after {pulled} chunks of {chunk} bytes (limit {limit})",
    )
    statuses = [answer["status"] for answer in saw["interleaved"]]
    t.expect(
        statuses == [201, 201],
        "two sign-ups interleaved on one app, each three quarters of the limit, "
        "are both accepted: each request has a count of its own",
        got=f"{statuses}, limit {limit}",
    )
    _limits_as_the_solution_keeps_them(t, rng)


def _detail(answer: dict[str, Any]) -> str | None:
    """The detail of the problem an answer's body holds, if it holds one."""
    try:
        problem = json.loads(answer.get("body") or "")
    except ValueError:
        return None
    detail = problem.get("detail") if isinstance(problem, dict) else None
    return detail if isinstance(detail, str) else None


def _said(answer: dict[str, Any]) -> str:
    """An answer the observation described, as `got=` shows it."""
    if answer.get("raised"):
        return f"raised {answer['raised']}"
    return f"{answer.get('status')} {_short(answer.get('body', ''), 120)}"


def _drawn_request(rng: random.Random, limit: int) -> dict[str, Any]:
    """A request a server could hand over: a body around the limit (or any size
    up to three times it), cut anywhere, whose last chunk carries data or is
    empty, with its length announced truthfully, falsely or not at all."""
    near = rng.random() < 0.7
    size = (
        max(0, limit + rng.randrange(-2, 4)) if near else rng.randrange(3 * limit + 2)
    )
    body = "".join(chr(rng.randrange(256)) for _ in range(size))
    cuts = (
        sorted(rng.sample(range(1, size), min(size - 1, rng.randrange(6))))
        if size > 1
        else []
    )
    chunks = [body[a:b] for a, b in zip([0, *cuts], [*cuts, size], strict=True)]
    if rng.random() < 0.3:
        chunks.append("")  # the end of the body, in a message of its own
    length = rng.choice(
        [
            None,
            "chunked",
            str(size),
            str(rng.randrange(limit + 1)),
            str(size + rng.randrange(1, 9)),
        ]
    )
    if length is None:  # HTTP/2 says neither
        return _posted(chunks)
    if length == "chunked":
        return _posted(chunks, CHUNKED)
    return _posted(chunks, ["content-length", length])


def _drawn_batches(rng: random.Random, limit: int, count: int) -> list[dict[str, Any]]:
    """Requests one at a time, or two or three sharing the app, taking turns in
    an order drawn for them."""
    batches = []
    for _ in range(count):
        requests = [_drawn_request(rng, limit) for _ in range(rng.choice([1, 1, 2, 3]))]
        order = [who for who, r in enumerate(requests) for _ in r["chunks"]]
        rng.shuffle(order)
        batches.append({"requests": requests, "order": order})
    return batches


def _outcome(answer: Any) -> tuple[Any, ...]:
    """What the server would answer (the status sent, or that of the HTTP error
    raised), the chunks pulled, and what the app read when it answered 201."""
    if not isinstance(answer, dict):
        return ("not an answer", _short(answer))
    status = (
        answer.get("status") or answer.get("code") or f"raised {answer.get('raised')}"
    )
    read = answer.get("body") if answer.get("status") == 201 else ""
    return status, answer.get("pulled"), read


@functools.cache
def _solution_middleware() -> Any:
    """The solution's middleware class, built here with stand-ins for the two
    helpers it takes from the app (a problem response, a reason phrase)."""
    from starlette.responses import JSONResponse

    def problem_response(request: Any, status: int, **fields: Any) -> Any:
        return JSONResponse(fields, status, media_type="application/problem+json")

    return solution_function(
        "06.3",
        "BodyLimitMiddleware",
        ("ContentTooLarge",),
        phrase=lambda code: HTTPStatus(code).phrase,
        problem_response=problem_response,
    )


def _limits_as_the_solution_keeps_them(t: Checker, rng: random.Random) -> None:
    """One step: on drawn request sequences, the attendee's middleware answers
    and reads as the solution's does."""
    wrong = []
    limits = [rng.randrange(17)] + [
        rng.randrange(20, 2000) for _ in range(DRAWN_LIMITS - 1)
    ]
    for limit in limits:
        batches = _drawn_batches(rng, limit, DRAWN_BATCHES)
        yours = t.observe(seen.body_limit, max_bytes=limit, batches=batches)
        expected = asyncio.run(
            serving.serve(
                _solution_middleware()(serving.read_body, max_bytes=limit), batches
            )
        )
        requests = [r for batch in batches for r in batch["requests"]]
        if not isinstance(yours, list) or len(yours) != len(expected):
            wrong.append(f"limit {limit}: {_short(yours)}")
            continue
        for request, got, wanted in zip(requests, yours, expected, strict=True):
            if _outcome(got) != _outcome(wanted):
                sizes = [len(c) for c in request["chunks"]]
                wrong.append(
                    f"limit {limit}, chunks of {sizes} bytes, headers "
                    f"{request['headers']}: yours {_outcome(got)}, the solution's "
                    f"{_outcome(wanted)} (answer, chunks read, bytes the app got)"
                )
    t.expect(
        not wrong,
        f"on {DRAWN_LIMITS * DRAWN_BATCHES} request sequences drawn for this run "
        "(limits, sizes around them, a last chunk that carries data, lengths "
        "announced truthfully, falsely or not at all, requests interleaved), the "
        "middleware answers and reads as the solution's does",
        got=_some(wrong, 1),
    )
