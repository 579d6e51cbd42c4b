"""Checks for 04 · Authentication and authorization."""

from __future__ import annotations

from typing import Any

from workshop.checking import Checker, exercise

PASSWORD = "correct horse battery staple"
ADMIN_EMAIL, ADMIN_PASSWORD = "root@example.com", "a secret for the checks"
# Cheap argon2 keeps each check fast; the first administrator comes from settings.
ENV = {
    "APP_ARGON2_TIME_COST": "1",
    "APP_ARGON2_MEMORY_KIB": "1024",
    "APP_ARGON2_PARALLELISM": "1",
    "APP_FIRST_ADMIN_EMAIL": ADMIN_EMAIL,
    "APP_FIRST_ADMIN_PASSWORD": ADMIN_PASSWORD,
}
ME, REFRESH = "/api/v1/users/me", "/api/v1/auth/refresh"


def _sign_up(client: Any, email: str) -> None:
    user = {"email": email, "full_name": email.split("@")[0], "password": PASSWORD}
    client.post("/api/v1/users", json=user)


def _sign_in(client: Any, email: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", data={"username": email, "password": password}
    )
    if response.status_code != 200:
        raise AssertionError(
            f"signing in as {email} answered {response.status_code}, not 200"
        )
    return response.json()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@exercise(
    "04.1",
    "A token is only good for its own job",
    hint="In app/security/tokens.py, read(): after jwt.decode, "
    "if claims['type'] != expected: raise InvalidToken(...).",
    env=ENV,
)
def token_type_is_checked(t: Checker) -> None:
    with t.client() as client:
        _sign_up(client, "ada@example.com")
        pair = _sign_in(client, "ada@example.com")
        t.expect(
            client.get(ME, headers=_bearer(pair["access_token"])).status_code == 200,
            "an access token opens GET /api/v1/users/me",
        )
        t.expect(
            client.get(ME, headers=_bearer(pair["refresh_token"])).status_code == 401,
            "a refresh token used as an access token is refused with 401",
        )
        refresh = client.post(REFRESH, json={"refresh_token": pair["access_token"]})
        t.expect(
            refresh.status_code == 401,
            "an access token sent to /auth/refresh is refused with 401",
        )


@exercise(
    "04.2",
    "A reused refresh token ends its whole session",
    hint="In app/services/auth.py, refresh(): when rotate() fails, "
    "await self.sessions.revoke(session.id) before raising Unauthenticated.",
    env=ENV,
)
def reuse_revokes_the_family(t: Checker) -> None:
    with t.client() as client:
        _sign_up(client, "ada@example.com")
        first = _sign_in(client, "ada@example.com")
        response = client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
        t.expect(response.status_code == 200, "a refresh token can be used once")
        second = response.json() if response.status_code == 200 else first
        reuse = client.post(REFRESH, json={"refresh_token": first["refresh_token"]})
        t.expect(reuse.status_code == 401, "using it a second time is refused (401)")
        newest = client.post(
            REFRESH, json={"refresh_token": second["refresh_token"]}
        ).status_code
        t.expect(
            newest == 401,
            "after the reuse, the newest refresh token of the session is refused too",
        )
        me = client.get(ME, headers=_bearer(second["access_token"])).status_code
        t.expect(
            me == 401, "after the reuse, the session's access token is refused too"
        )


@exercise(
    "04.3",
    "Administrators only: require_role",
    hint="In app/dependencies.py, require_role(): "
    "if user.role not in roles: raise PermissionDenied(...).",
    env=ENV,
)
def require_role_refuses_others(t: Checker) -> None:
    with t.client() as client:
        _sign_up(client, "ada@example.com")
        ada = _bearer(_sign_in(client, "ada@example.com")["access_token"])
        admin = _bearer(_sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)["access_token"])
        t.expect(
            client.get("/api/v1/users").status_code == 401,
            "GET /api/v1/users without a token answers 401",
        )
        t.expect(
            client.get("/api/v1/users", headers=ada).status_code == 403,
            "GET /api/v1/users as a user who is not an administrator answers 403",
        )
        t.expect(
            client.delete("/api/v1/users/1", headers=ada).status_code == 403,
            "DELETE /api/v1/users/1 as that user answers 403",
        )
        t.expect(
            client.get("/api/v1/users", headers=admin).status_code == 200,
            "GET /api/v1/users as the administrator answers 200",
        )


@exercise(
    "04.4",
    "Your items are yours: owned_item",
    hint="In app/services/items.py, owned(): if the item's owner_id is not "
    "user.id and user.role != 'admin', treat it as missing (item = None).",
    env=ENV,
)
def items_belong_to_their_owner(t: Checker) -> None:
    with t.client() as client:
        for name in ("ada", "bob"):
            _sign_up(client, f"{name}@example.com")
        ada = _bearer(_sign_in(client, "ada@example.com")["access_token"])
        bob = _bearer(_sign_in(client, "bob@example.com")["access_token"])
        admin = _bearer(_sign_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)["access_token"])
        tea = {"name": "Ada's tea", "price_cents": 650, "sku": "TEA-0001"}
        created = client.post("/api/v1/items", json=tea, headers=ada)
        url = f"/api/v1/items/{created.json().get('id')}"
        t.expect(
            client.get(url, headers=ada).status_code == 200,
            "Ada reads the item she created",
        )
        read = client.get(url, headers=bob)
        t.expect(
            read.status_code == 404 and "Ada's tea" not in read.text,
            "Bob reading Ada's item gets 404, and nothing of the item",
        )
        t.expect(
            client.patch(url, json={"price_cents": 1}, headers=bob).status_code == 404,
            "Bob changing Ada's item gets 404",
        )
        t.expect(
            client.delete(url, headers=bob).status_code == 404,
            "Bob deleting Ada's item gets 404",
        )
        t.expect(
            client.get(url, headers=ada).json().get("price_cents") == 650,
            "Ada's item is unchanged",
        )
        t.expect(
            client.get(url, headers=admin).status_code == 200,
            "an administrator can read any item",
        )
