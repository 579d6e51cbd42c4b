"""Checks for 04 · Authentication and authorization.

Apps are built with explicit settings (cheap argon2, a first administrator);
emails and SKUs are chosen at random for each run, and a few accounts and
sessions are made first, so that no id coincides with another by luck.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from workshop.checking import Checker, exercise

PASSWORD = "correct horse battery staple"
ME, REFRESH = "/api/v1/users/me", "/api/v1/auth/refresh"


@contextmanager
def _client(t: Checker, probes: dict[str, Any] | None = None) -> Iterator[Any]:
    """A client for an app with explicit settings, signed-in administrator headers
    as `client.admin`, and `probes` ({path: dependencies}) as extra GET routes."""
    from fastapi.testclient import TestClient

    from app.config import Settings
    from app.main import create_app

    admin = f"root-{secrets.token_hex(3)}@example.com"
    settings = Settings(
        _env_file=None,
        environment="test",
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        argon2_parallelism=1,
        first_admin_email=admin,
        first_admin_password=PASSWORD,
    )
    app = create_app(settings)
    for path, dependencies in (probes or {}).items():
        app.add_api_route(path, _probe, dependencies=dependencies)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.admin = _bearer(_sign_in(client, admin)["access_token"])
        yield client


async def _probe() -> dict[str, bool]:
    return {"ok": True}


def _email(name: str) -> str:
    return f"{name}-{secrets.token_hex(3)}@example.com"


def _sign_up(client: Any, email: str) -> None:
    user = {"email": email, "full_name": email.split("@")[0], "password": PASSWORD}
    response = client.post("/api/v1/users", json=user)
    if response.status_code != 201:
        raise AssertionError(f"signing up {email} answered {response.status_code}")


def _sign_in(client: Any, email: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", data={"username": email, "password": PASSWORD}
    )
    if response.status_code != 200:
        raise AssertionError(f"signing in as {email} answered {response.status_code}")
    return response.json()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _answer(response: Any) -> str:
    return f"{response.status_code} {response.text[:120]}"


@exercise(
    "04.1",
    "A token is only good for its own job",
    hint="read() knows which kind of token it expects; the decoded claims say "
    "which kind the token is. Refuse the wrong kind the way read() refuses "
    "everything else.",
)
def token_type_is_checked(t: Checker) -> None:
    with _client(t) as client:
        ada = _email("ada")
        _sign_up(client, ada)
        pair = _sign_in(client, ada)
        me = client.get(ME, headers=_bearer(pair["access_token"]))
        t.expect(
            me.status_code == 200, "an access token opens GET /users/me", _answer(me)
        )
        wrong = client.get(ME, headers=_bearer(pair["refresh_token"]))
        t.expect(
            wrong.status_code == 401,
            "a refresh token used as an access token is refused with 401",
            _answer(wrong),
        )
        swapped = client.post(REFRESH, json={"refresh_token": pair["access_token"]})
        t.expect(
            swapped.status_code == 401,
            "an access token sent to /auth/refresh is refused with 401",
            _answer(swapped),
        )
        real = client.post(REFRESH, json={"refresh_token": pair["refresh_token"]})
        t.expect(
            real.status_code == 200,
            "nothing was damaged: the session's real refresh token still works",
            _answer(real),
        )


@exercise(
    "04.2",
    "A reused refresh token ends its whole session",
    hint="The session being refreshed is in a variable already; the session "
    "store can end one session.",
)
def reuse_revokes_the_family(t: Checker) -> None:
    with _client(t) as client:
        ada = _email("ada")
        _sign_up(client, ada)
        for _ in range(secrets.randbelow(3) + 2):  # session ids are not user ids
            _sign_in(client, ada)
        first = _sign_in(client, ada)
        laptop = _sign_in(client, ada)
        response = client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
        t.expect(
            response.status_code == 200,
            "a refresh token can be used once",
            _answer(response),
        )
        second = response.json() if response.status_code == 200 else first
        reuse = client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
        t.expect(
            reuse.status_code == 401,
            "using it a second time is refused with 401",
            _answer(reuse),
        )
        newest = client.post(REFRESH, json={"refresh_token": second["refresh_token"]})
        t.expect(
            newest.status_code == 401,
            "after the reuse, the newest refresh token of that session is refused too",
            _answer(newest),
        )
        me = client.get(ME, headers=_bearer(second["access_token"]))
        t.expect(
            me.status_code == 401,
            "after the reuse, that session's access token is refused too",
            _answer(me),
        )
        other = client.get(ME, headers=_bearer(laptop["access_token"]))
        t.expect(
            other.status_code == 200,
            "Ada's other session (her laptop) goes on working: only one family ends",
            _answer(other),
        )


@exercise(
    "04.3",
    "Administrators only: require_role",
    hint="Every signed-in user has a role; the dependency knows which roles it "
    "lets through. Who are you (401) and may you (403) are different errors.",
)
def require_role_refuses_others(t: Checker) -> None:
    from fastapi import Depends

    from app.dependencies import require_role

    probes = {
        "/check/users": [Depends(require_role("user"))],
        "/check/all": [Depends(require_role("user", "admin"))],
    }
    with _client(t, probes) as client:
        ada = _email("ada")
        _sign_up(client, ada)
        user = _bearer(_sign_in(client, ada)["access_token"])
        admin = client.admin
        checks = [  # (method, path, headers, status, who asks)
            ("get", "/api/v1/users", {}, 401, "GET /api/v1/users without a token"),
            ("get", "/api/v1/users", user, 403, "GET /api/v1/users as a user"),
            ("delete", "/api/v1/users/1", user, 403, "DELETE /api/v1/users/1, user"),
            ("get", "/api/v1/users", admin, 200, "GET /api/v1/users as an admin"),
            ("get", "/check/users", admin, 403, "a route for users only, as an admin"),
            ("get", "/check/users", user, 200, "that route as a user"),
            ("get", "/check/all", admin, 200, "a route for both roles, as an admin"),
        ]
        for method, path, headers, status, what in checks:
            response = client.request(method, path, headers=headers)
            t.expect(
                response.status_code == status,
                f"{what} answers {status}",
                _answer(response),
            )


@exercise(
    "04.4",
    "Your items are yours: owned_item",
    hint="owned() sees the item and the user: compare the item's owner with the "
    "user, and remember who may see everything. A missing item and someone "
    "else's must look exactly alike.",
)
def items_belong_to_their_owner(t: Checker) -> None:
    with _client(t) as client:
        ada, bob = _email("ada"), _email("bob")
        for email in (ada, bob):
            _sign_up(client, email)
        ada_auth = _bearer(_sign_in(client, ada)["access_token"])
        bob_auth = _bearer(_sign_in(client, bob)["access_token"])
        for n in range(secrets.randbelow(3) + 3):  # item ids are not user ids
            sku = f"OLD-{secrets.randbelow(9000) + 1000}"
            client.post(
                "/api/v1/items",
                json={"name": f"old {n}", "price_cents": 1, "sku": sku},
                headers=client.admin,
            )
        tea = {
            "name": "Ada's tea",
            "price_cents": 650,
            "sku": f"TEA-{secrets.randbelow(9000) + 1000}",
        }
        created = client.post("/api/v1/items", json=tea, headers=ada_auth)
        item_id = created.json().get("id")
        url = f"/api/v1/items/{item_id}"
        mine = client.get(url, headers=ada_auth)
        t.expect(
            mine.status_code == 200, "Ada reads the item she created", _answer(mine)
        )
        read = client.get(url, headers=bob_auth)
        missing_id = 10_000 + secrets.randbelow(1000)
        missing = client.get(f"/api/v1/items/{missing_id}", headers=bob_auth)
        same = read.status_code == missing.status_code == 404 and read.text.replace(
            str(item_id), "<id>"
        ) == missing.text.replace(str(missing_id), "<id>")
        t.expect(
            same,
            "Bob reading Ada's item gets exactly what he gets for an id that does "
            "not exist (404, same message)",
            f"{_answer(read)}; for a missing id: {_answer(missing)}",
        )
        change = client.patch(url, json={"price_cents": 1}, headers=bob_auth)
        t.expect(
            change.status_code == 404,
            "Bob changing Ada's item gets 404",
            _answer(change),
        )
        delete = client.delete(url, headers=bob_auth)
        t.expect(
            delete.status_code == 404,
            "Bob deleting Ada's item gets 404",
            _answer(delete),
        )
        after = client.get(url, headers=ada_auth)
        t.expect(
            after.status_code == 200 and after.json().get("price_cents") == 650,
            "Ada's item is unchanged",
            _answer(after),
        )
        admin = client.get(url, headers=client.admin)
        t.expect(
            admin.status_code == 200,
            "an administrator can read any item",
            _answer(admin),
        )
