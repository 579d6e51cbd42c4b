"""Checks for 04 · Authentication and authorization.

Apps are built with explicit settings (cheap argon2, a first administrator, a
signing key); emails, keys and SKUs are chosen at random for each run
(workshop.exercises.chance), and a few accounts and sessions are made first, so
that no id coincides with another by luck. The checks ask the app through
requests only, except for the probe routes of 04.3, which an observation
(workshop.exercises.observations.lesson04) adds to an app of its own and asks;
every verdict is made here (outside the sandbox when grading).

Properties, each with the cases that exercise it:

04.1 (a token is only good for its own job)
- An access token opens the API and is refused at /auth/refresh; a refresh
  token is refused as an access token, and so is a signed token of a type that
  is not exactly "access" (empty, a prefix, another case, a trailing space);
  refusing one damages nothing (the real refresh token still works).

04.2 (a reused refresh token ends its whole session)
- A refresh token works once; its second use is refused and ends that session
  (its newest refresh token and access token are refused), and only that one
  (another device's session goes on).

04.3 (require_role)
- No token is 401, a role not listed is 403 with a reason, a listed role passes:
  a route for users only asked by an admin and a user, a route for both roles,
  the service's admin routes (GET and DELETE) asked by a user and an admin.

04.4 (owned_item)
- The owner reads and changes their item; another user gets 404 (not 403) on
  read, change and delete, and the item is unchanged; a missing id is 404; an
  administrator may read any item; a user whose id is 1 (the first account of
  an app without an administrator) is any other user.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from workshop import answers
from workshop.checking import Checker, exercise
from workshop.exercises import observed
from workshop.exercises.chance import draw, hex_token
from workshop.exercises.observations import lesson04 as seen

PASSWORD = "correct horse battery staple"
ME, REFRESH = "/api/v1/users/me", "/api/v1/auth/refresh"


@contextmanager
def _client(t: Checker) -> Iterator[Any]:
    """A client for an app with explicit settings, signed-in administrator headers
    as `client.admin`, and the signing key, drawn for the run, as `client.key`."""
    settings = _settings()
    with t.client(t.app(**settings)) as client:
        client.admin = _bearer(
            _sign_in(t, client, settings["first_admin_email"])["access_token"]
        )
        client.key = settings["secret_key"]
        yield client


def _settings() -> dict[str, str]:
    """A first administrator and a signing key, drawn for the run."""
    return {
        "first_admin_email": f"root-{hex_token(draw())}@example.com",
        "first_admin_password": PASSWORD,
        "secret_key": hex_token(draw(), 32),
    }


def _same_error(*answered: tuple[Any, int]) -> bool:
    """Whether the error answers say the same, each with its own id left out."""
    said = {
        re.sub(
            rf"(?<!\d){asked}(?!\d)",
            "<id>",
            json.dumps(answers.error_body(response), sort_keys=True),
        )
        for response, asked in answered
    }
    return len(said) == 1


def _email(name: str) -> str:
    return f"{name}-{hex_token(draw())}@example.com"


def _sign_up(t: Checker, client: Any, email: str) -> dict[str, Any]:
    user = {"email": email, "full_name": email.split("@")[0], "password": PASSWORD}
    return t.json(client.post("/api/v1/users", json=user))


def _sign_in(t: Checker, client: Any, email: str) -> dict[str, str]:
    return t.json(
        client.post(
            "/api/v1/auth/token", data={"username": email, "password": PASSWORD}
        )
    )


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# Types a comparison other than equality lets through: a substring, any case.
NEAR_ACCESS = ("", "acc", "ACCESS", "access ")


def _retyped(client: Any, token: str, kind: str) -> str:
    """`token` with another "type", signed with the app's own key: valid in
    every way but the one the exercise checks."""
    import jwt

    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode({**claims, "type": kind}, client.key, algorithm="HS256")


@exercise(
    "04.1",
    "A token is only good for its own job",
    hints=(
        "read() knows which kind of token it expects; the decoded claims say "
        "which kind the token is. Refuse the wrong kind the way read() refuses "
        "everything else.",
        'Once jwt.decode has returned the claims, compare their "type" with the '
        "kind read() was asked for, and raise InvalidToken when the two differ. "
        "/users/me and /auth/refresh both go through read(), so this one "
        "comparison protects both.",
    ),
    steps=5,
)
def token_type_is_checked(t: Checker) -> None:
    with _client(t) as client:
        ada = _email("ada")
        _sign_up(t, client, ada)
        pair = _sign_in(t, client, ada)
        me = client.get(ME, headers=_bearer(pair["access_token"]))
        t.status(me, 200, "an access token opens GET /users/me")
        wrong = client.get(ME, headers=_bearer(pair["refresh_token"]))
        t.status(wrong, 401, "a refresh token used as an access token is refused")
        swapped = client.post(REFRESH, json={"refresh_token": pair["access_token"]})
        t.status(swapped, 401, "an access token sent to /auth/refresh is refused")
        near = [
            client.get(ME, headers=_bearer(_retyped(client, pair["access_token"], k)))
            for k in NEAR_ACCESS
        ]
        t.expect(
            [r.status_code for r in near] == [401] * len(NEAR_ACCESS),
            'a signed token whose type is close to "access" but not it '
            '("", "acc", "ACCESS", "access ") is refused',
            got=[r.status_code for r in near],
        )
        real = client.post(REFRESH, json={"refresh_token": pair["refresh_token"]})
        t.status(
            real, 200, "nothing was damaged: the session's real refresh token works"
        )


@exercise(
    "04.2",
    "A reused refresh token ends its whole session",
    hints=(
        "The session being refreshed is in a variable already; the session "
        "store can end one session.",
        "In refresh(), find the branch that refuses a token which is not the "
        "newest of its session. Before it raises, ask the session store to revoke "
        "that session, by the id of the session object in hand, and await it. The "
        "error raised afterwards stays as it is.",
    ),
    steps=5,
)
def reuse_revokes_the_family(t: Checker) -> None:
    with _client(t) as client:
        ada = _email("ada")
        _sign_up(t, client, ada)
        for _ in range(draw().randrange(3) + 2):  # session ids are not user ids
            _sign_in(t, client, ada)
        first = _sign_in(t, client, ada)
        laptop = _sign_in(t, client, ada)
        response = client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
        if not t.status(response, 200, "a refresh token can be used once"):
            return
        second = t.json(response)
        reuse = client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
        t.status(reuse, 401, "using it a second time is refused")
        newest = client.post(REFRESH, json={"refresh_token": second["refresh_token"]})
        t.status(
            newest,
            401,
            "after the reuse, the newest refresh token of that session is refused",
        )
        me = client.get(ME, headers=_bearer(second["access_token"]))
        t.status(me, 401, "after the reuse, that session's access token is refused")
        other = client.get(ME, headers=_bearer(laptop["access_token"]))
        t.status(
            other,
            200,
            "Ada's other session (her laptop) goes on working: only one family ends",
        )


def _reason(response: Any) -> str:
    """The "detail" of an error answer, which both FastAPI's error body and
    problem details (lesson 06) have; "" when there is none."""
    try:
        body = response.json()
    except ValueError:
        return ""
    detail = body.get("detail") if isinstance(body, dict) else None
    return detail if isinstance(detail, str) else ""


@exercise(
    "04.3",
    "Administrators only: require_role",
    hints=(
        "Every signed-in user has a role; the dependency knows which roles it "
        "lets through. Who are you (401) and may you (403) are different errors.",
        "The inner function already receives a signed-in user (CurrentUser "
        "refused everyone else with 401). When that user's role is not one of "
        "the roles require_role was given, raise the domain error for 'you may "
        "not', PermissionDenied, with a sentence that says why (it becomes the "
        "403's detail); otherwise return the user.",
    ),
    steps=8,
)
def require_role_refuses_others(t: Checker) -> None:
    with _client(t) as client:
        ada = _email("ada")
        _sign_up(t, client, ada)
        other = f"/api/v1/users/{_sign_up(t, client, _email('bob'))['id']}"
        user = _bearer(_sign_in(t, client, ada)["access_token"])
        admin = client.admin
        checks = [  # (method, path, headers, status, who asks)
            ("get", "/api/v1/users", {}, 401, "GET /api/v1/users without a token"),
            ("get", "/api/v1/users", user, 403, "GET /api/v1/users as a user"),
            ("delete", other, user, 403, "DELETE of another account, as a user,"),
            ("get", "/api/v1/users", admin, 200, "GET /api/v1/users as an admin"),
        ]
        for method, path, headers, status, what in checks:
            response = client.request(method, path, headers=headers)
            t.status(response, status, f"{what} answers")
    # Probe routes behind require_role, on an app of their own.
    settings = _settings()
    probes = t.observe(
        seen.role_probes,
        settings=settings,
        admin=settings["first_admin_email"],
        user=_email("ada"),
        password=PASSWORD,
    )
    asked = [  # (route, who, status, who asks)
        ("users", "admin", 403, "a route for users only, as an admin"),
        ("users", "user", 200, "that route as a user"),
        ("all", "admin", 200, "a route for both roles, as an admin"),
    ]
    for route, who, status, what in asked:
        got = _seen(probes, route, who)
        t.expect(
            observed.response(got).status_code == status,
            f"{what} answers ({status})",
            got=observed.said(got),
        )
    refused = _seen(probes, "users", "admin")
    t.expect(
        observed.response(refused).status_code == 403
        and _reason(observed.response(refused)),
        "the 403 says why: its detail is not empty",
        got=observed.said(refused),
    )


def _seen(probes: Any, route: str, who: str) -> Any:
    """The answer to `who` at the probe `route`, as the observation saw it."""
    answered = probes.get(route) if isinstance(probes, dict) else None
    return answered.get(who) if isinstance(answered, dict) else None


@exercise(
    "04.4",
    "Your items are yours: owned_item",
    hints=(
        "owned() sees the item and the user: compare the item's owner with the "
        "user, and remember who may see everything. A missing item and someone "
        "else's must look exactly alike.",
        "Treat an item whose owner_id is not the user's id as if it did not "
        "exist, unless the user's role is the administrator's: the code below "
        "already raises NotFound, with the same message, for an item that is "
        "not there. Write no second message of your own.",
    ),
    steps=7,
)
def items_belong_to_their_owner(t: Checker) -> None:
    with _client(t) as client:
        ada, bob = _email("ada"), _email("bob")
        for email in (ada, bob):
            _sign_up(t, client, email)
        ada_auth = _bearer(_sign_in(t, client, ada)["access_token"])
        bob_auth = _bearer(_sign_in(t, client, bob)["access_token"])
        for n in range(draw().randrange(3) + 3):  # item ids are not user ids
            sku = f"OLD-{draw().randrange(9000) + 1000}"
            client.post(
                "/api/v1/items",
                json={"name": f"old {n}", "price_cents": 1, "sku": sku},
                headers=client.admin,
            )
        tea = {
            "name": "Ada's tea",
            "price_cents": 650,
            "sku": f"TEA-{draw().randrange(9000) + 1000}",
        }
        item_id = t.json(client.post("/api/v1/items", json=tea, headers=ada_auth))["id"]
        url = f"/api/v1/items/{item_id}"
        t.status(client.get(url, headers=ada_auth), 200, "Ada reads the item she made")
        read = client.get(url, headers=bob_auth)
        missing_id = 10_000 + draw().randrange(1000)
        missing = client.get(f"/api/v1/items/{missing_id}", headers=bob_auth)
        same = read.status_code == missing.status_code == 404 and _same_error(
            (read, item_id), (missing, missing_id)
        )
        t.expect(
            same,
            "Bob reading Ada's item gets exactly what he gets for an id that does "
            "not exist (404, same message)",
            f"{t.describe(read)}; for a missing id: {t.describe(missing)}",
        )
        change = client.patch(url, json={"price_cents": 1}, headers=bob_auth)
        t.status(change, 404, "Bob changing Ada's item gets")
        delete = client.delete(url, headers=bob_auth)
        t.status(delete, 404, "Bob deleting Ada's item gets")
        after = client.get(url, headers=ada_auth)
        t.expect(
            after.status_code == 200 and after.json().get("price_cents") == 650,
            "Ada's item is unchanged",
            t.describe(after),
        )
        admin = client.get(url, headers=client.admin)
        t.status(admin, 200, "an administrator can read any item")
    # The role decides, not the id: here the first account (id 1) is a user.
    with t.client(t.app(secret_key=hex_token(draw(), 32))) as client:
        first, ada = _email("first"), _email("ada")
        for email in (first, ada):
            _sign_up(t, client, email)
        first_auth = _bearer(_sign_in(t, client, first)["access_token"])
        ada_auth = _bearer(_sign_in(t, client, ada)["access_token"])
        made = client.post("/api/v1/items", json=tea, headers=ada_auth)
        read = client.get(f"/api/v1/items/{t.json(made)['id']}", headers=first_auth)
        t.status(
            read,
            404,
            "on an app whose first account (id 1) is an ordinary user, that user "
            "reading Ada's item gets",
        )
