"""Checks for 07 · Testing.

Apps are built with explicit settings and a database of their own; emails,
prices, names and ids are chosen at random for each run
(workshop.exercises.chance), on top of fixed cases, so that no answer can pass by
remembering them. When graded, they are judged outside the sandbox
(workshop.grading.judge): a model built on InputModel and tests/route_coverage.py
are observed where the app runs (workshop.exercises.observations.lesson07),
which reports what they accepted or returned; the verdict is made here.

Properties, each with the cases that exercise it:

07.1 (strict bodies)
- Every body takes each value only as its declared type: an item priced false,
  "N" or true (create and update) is refused and nothing changes; a model built
  on InputModel by the check, with int, bool, float and list fields, refuses
  "5", 1 for a bool, "1.5" and a tuple, and accepts the declared types.
- Every body still takes the JSON form its schema documents for a type JSON
  lacks: the same model's datetime, UUID and enum fields accept their strings
  (drawn at random), as FastAPI hands them over, decoded, in Python mode.
- The rest of InputModel stays: unknown fields refused, the input kept out of a
  ValidationError's text; query parameters still parse from text.

07.2 (produced)
- An answer counts for the template of the route that answered, and only that:
  /x/me and /x/{id} (listed in either order, so a template that fits the path
  but did not answer never takes it), and /x/me/y beside /x/{id}/y; one router
  under several prefixes: of different shapes (/api/v1, /internal2), of the
  same shape (/api/v1, /api/v4), and one inside another (/api/v1/admin); each
  method on its own.
- uncovered() names exactly the promises nobody kept, sorted.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from workshop.answers import UnexpectedAnswer
from workshop.checking import Checker, exercise
from workshop.exercises.chance import draw, hex_token
from workshop.exercises.observations.lesson07 import input_model_refuses, uncovered

ITEMS, USERS = "/api/v1/items", "/api/v1/users"
USER_CREATE = "app.schemas.users:UserCreate"
PASSWORD = "correct horse battery staple"


@exercise(
    "07.1",
    "Strict bodies",
    hints=(
        "Pydantic converts what it can in its default (lax) mode: False is an "
        "int in Python. The model's configuration can ask for the declared type "
        "and nothing else, for every field of every body at once.",
        "Add strict=True to InputModel's ConfigDict, next to extra='forbid' and "
        "hide_input_in_errors=True, which must stay.",
    ),
    steps=10,
)
def bodies_are_strict(t: Checker) -> None:
    rng = draw()
    email = f"strict-{hex_token(rng, 4)}@example.com"
    price, other = rng.randint(1, 99_999), rng.randint(100_000, 999_999)
    sku = (
        f"{''.join(rng.choice('ABCDEFGH') for _ in range(3))}-{rng.randint(1000, 9999)}"
    )
    app = t.app()
    with t.client(app) as client:
        user = {"email": email, "full_name": "Strict", "password": PASSWORD}
        client.post(USERS, json=user)
        form = {"username": email, "password": PASSWORD}
        token = t.json(client.post("/api/v1/auth/token", data=form))["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        item = {"name": "Tea", "sku": sku, "price_cents": price}
        created = client.post(ITEMS, json=item, headers=auth)
        if not t.status(created, 201, "an item priced with an integer is created"):
            return
        url = f"{ITEMS}/{created.json()['id']}"
        refused = client.post(ITEMS, json={**item, "price_cents": False}, headers=auth)
        t.status(refused, 422, "an item priced false is refused")
        text = client.post(
            ITEMS, json={**item, "price_cents": str(other)}, headers=auth
        )
        t.status(text, 422, "an item priced with a number in a string is refused")
        patched = client.patch(url, json={"price_cents": True}, headers=auth)
        stored = client.get(url, headers=auth).json().get("price_cents")
        t.expect(
            patched.status_code == 422 and stored == price,
            "an update to price true is refused, and the price stays as it was",
            got=f"{t.describe(patched)}; the price is now {stored!r}",
        )
        page = client.get(
            ITEMS, params={"limit": str(rng.randint(5, 50))}, headers=auth
        )
        t.expect(
            page.status_code == 200 and page.json().get("total") == 1,
            "nothing refused was stored: the list holds one item",
            got=t.describe(page),
        )
        limit = rng.randint(5, 50)
        page = client.get(ITEMS, params={"limit": str(limit)}, headers=auth)
        t.expect(
            page.status_code == 200 and page.json().get("limit") == limit,
            "a query parameter still parses from text (?limit=N)",
            got=f"?limit={limit}: {t.describe(page)}",
        )
        extra = client.post(
            USERS, json={**user, "email": f"x{email}", "is_admin": True}
        )
        t.status(extra, 422, "a sign-up with an unknown field is still refused")
    secret = "pw-" + hex_token(rng, 5)
    made = t.call(USER_CREATE, email=email, full_name="S", password=secret)
    said = f"{made.type}: {made.message}" if made.raised else "no error"
    t.expect(
        made.type == "ValidationError" and secret not in made.message,
        "a validation error's text still leaves out what was sent (a password)",
        got=said[:300],
    )
    _every_body_is_strict(t, rng)


# A field of each kind, a value it should take, and values only lax mode takes.
PROBES: dict[str, tuple[str, Any, list[Any]]] = {
    "count": ("int", 5, ["5", 5.0, True]),
    "flag": ("bool", True, [1, "true", "yes"]),
    "ratio": ("float", 1.5, ["1.5", "2"]),
    "sizes": ("list[int]", [1, 2], [(1, 2), ["1"]]),
}
MOODS = ["calm", "busy"]  # the values of an enum field


def _json_forms(rng: Any) -> dict[str, tuple[str, str]]:
    """Fields of types JSON lacks, each with the string its schema documents."""
    when = datetime(rng.randint(2000, 2099), rng.randint(1, 12), 1, tzinfo=UTC)
    return {
        "starts": ("datetime", when.isoformat()),
        "ref": ("uuid", str(uuid.UUID(int=rng.getrandbits(128)))),
        "mood": ("enum", rng.choice(MOODS)),
    }


def _body(values: dict[str, Any]) -> dict[str, Any]:
    """A body for the observation: tuples sent as lists, named as tuples."""
    tuples = [name for name, value in values.items() if isinstance(value, tuple)]
    plain = {k: list(v) if k in tuples else v for k, v in values.items()}
    return {"values": plain, "tuples": tuples}


def _every_body_is_strict(t: Checker, rng: Any) -> None:
    """Two steps: a new model built on InputModel is strict in every field that
    JSON has a type for, not only in the fields the service has today, and
    takes the documented string for a datetime, a UUID and an enum."""
    forms = _json_forms(rng)
    fields = {name: kind for name, (kind, _, _) in PROBES.items()}
    fields.update({name: kind for name, (kind, _) in forms.items()})
    good = {name: value for name, (_, value, _) in PROBES.items()}
    good.update({name: text for name, (_, text) in forms.items()})
    lax = [(name, value) for name, (_, _, values) in PROBES.items() for value in values]
    bodies = [good] + [{**good, name: value} for name, value in lax]
    refusals = t.observe(
        input_model_refuses,
        fields=fields,
        choices=MOODS,
        bodies=[_body(body) for body in bodies],
    )
    if not (type(refusals) is list and len(refusals) == len(bodies)):
        raise UnexpectedAnswer(f"a model built on InputModel: {refusals!r}")
    wrong = [f"{name}={good[name]!r} refused" for name in refusals[0]]
    wrong += [
        f"{name}={value!r} accepted"
        for (name, value), refused in zip(lax, refusals[1:], strict=True)
        if not refused
    ]
    refused = [text for text in wrong if text.split("=")[0] in forms]
    wrong = [text for text in wrong if text not in refused]
    t.expect(
        not refused,
        "a model built on InputModel takes the string its schema documents for a "
        "datetime, a UUID and an enum, as FastAPI passes the decoded JSON",
        got="; ".join(refused),
    )
    t.expect(
        not wrong,
        "a model built on InputModel is strict in every field JSON has a type "
        'for: an int refuses "5" and true, a bool 1 and "true", a float "1.5", a '
        "list a tuple",
        got="; ".join(wrong[:4]),
    )


def _operations(**statuses: list[int]) -> dict[str, Any]:
    return {
        method: {"responses": {str(s): {} for s in codes}}
        for method, codes in statuses.items()
    }


@exercise(
    "07.2",
    "Which route answered",
    hints=(
        "Two templates can fit one path: /users/me fits /users/{user_id} as "
        "well. And the route's path (/items/{item_id}) is the end of more than "
        "one template when two prefixes hold the same router.",
        "For each answer and each template of spec['paths'], keep the answer's "
        "method and status under that template when two things hold: the "
        "template ends with the route's path, and matches() accepts the path "
        "that was requested.",
    ),
    steps=8,
)
def produced_finds_the_route(t: Checker) -> None:
    rng = draw()
    a, b, c = rng.sample(["items", "books", "notes", "tags", "orders", "pets"], 3)
    v1, v3 = rng.sample(range(1, 10), 2)
    p1, p2, p3 = f"/api/v{v1}", f"/internal{rng.randint(1, 9)}", f"/api/v{v3}"
    nested = f"{p1}/admin"  # a prefix inside p1
    param = rng.choice(["{id}", "{key}", "{ref}"])
    spec = {
        "paths": {
            f"{p1}/{a}": _operations(get=[200, 401], post=[201, 409, 413]),
            f"{p1}/{a}/{param}": _operations(get=[200, 404, 500], delete=[204, 404]),
            f"{p1}/{b}/me": _operations(get=[200, 401]),
            f"{p1}/{b}/{param}": _operations(get=[200, 404], patch=[200, 404]),
            f"{p2}/{a}/{param}": _operations(get=[200, 404]),
            f"{p3}/{a}/{param}": _operations(get=[200, 404]),
            f"{nested}/{a}/{param}": _operations(delete=[204, 404]),
            f"{p1}/{b}/me/{c}": _operations(get=[200]),
            f"{p1}/{b}/{param}/{c}": _operations(get=[200]),
        }
    }
    n, m, k, j = (rng.randint(1, 10**6) for _ in range(4))
    seen = [
        ["GET", f"{p1}/{a}", f"/{a}", 200],
        ["POST", f"{p1}/{a}", f"/{a}", 201],
        ["POST", f"{p1}/{a}", f"/{a}", 409],
        ["GET", f"{p1}/{a}/{n}", f"/{a}/{param}", 200],
        ["GET", f"{p1}/{a}/{n}", f"/{a}/{param}", 404],
        ["DELETE", f"{p1}/{a}/{n}", f"/{a}/{param}", 204],
        ["GET", f"{p1}/{b}/me", f"/{b}/me", 200],
        ["GET", f"{p1}/{b}/me", f"/{b}/me", 401],
        ["GET", f"{p1}/{b}/{m}", f"/{b}/{param}", 404],
        ["PATCH", f"{p1}/{b}/{m}", f"/{b}/{param}", 200],
        ["GET", f"{p2}/{a}/{k}", f"/{a}/{param}", 200],
        ["GET", f"{p3}/{a}/{j}", f"/{a}/{param}", 404],
        ["DELETE", f"{nested}/{a}/{j}", f"/{a}/{param}", 404],
        ["GET", f"{p1}/{b}/me/{c}", f"/{b}/me/{c}", 200],
    ]
    expected = sorted(
        [
            f"GET {p1}/{a} 401",
            f"DELETE {p1}/{a}/{param} 404",
            f"GET {p1}/{b}/{param} 200",
            f"PATCH {p1}/{b}/{param} 404",
            f"GET {p2}/{a}/{param} 404",
            f"GET {p3}/{a}/{param} 200",
            f"DELETE {nested}/{a}/{param} 204",
            f"GET {p1}/{b}/{param}/{c} 200",
        ]
    )
    got = t.observe(uncovered, spec=spec, seen=seen, whole_api=[413, 500])
    shown = f"uncovered() = {got}"
    shadowed = {"paths": dict(reversed(list(spec["paths"].items())))}
    other = t.observe(uncovered, spec=shadowed, seen=seen, whole_api=[413, 500])
    t.expect(
        other == expected,
        "with /{id} listed before /me, GET /me still counts for /me only: the "
        "route that answered decides, not the first template that fits the path",
        got=f"with {p1}/{b}/{param} listed before {p1}/{b}/me: expected {expected}; "
        f"uncovered() = {other}",
    )
    false_alarms = sorted(set(got) - set(expected))
    t.expect(
        not false_alarms,
        "an answer a test produced counts for its route: it is not reported",
        got=f"reported although produced: {false_alarms}",
    )
    t.expect(
        f"GET {p1}/{b}/{param} 200" in got,
        "GET .../{id} 200 is reported when only .../me answered 200: another "
        "route, whose path fits the same pattern",
        got=shown,
    )
    t.expect(
        f"GET {p2}/{a}/{param} 404" in got,
        "a 404 under one prefix is not counted for the same route under another",
        got=shown,
    )
    t.expect(
        f"GET {p3}/{a}/{param} 200" in got,
        "a 200 under one version's prefix (/api/vN) is not counted for the same "
        "route under another version's, a prefix of the same shape",
        got=shown,
    )
    t.expect(
        f"DELETE {p1}/{a}/{param} 404" in got,
        "DELETE .../{id} 404 is reported when only GET answered 404 there, and "
        "DELETE answered 404 under a prefix inside this one (.../admin)",
        got=shown,
    )
    t.expect(
        f"GET {p1}/{b}/{param}/{c} 200" in got,
        "GET .../{id}/x 200 is reported when only .../me/x answered 200",
        got=shown,
    )
    t.expect(
        got == expected,
        f"uncovered() names exactly the {len(expected)} promises nobody kept, in order",
        got=f"expected {expected}; {shown}",
    )
