"""The attack suite: each way in that must stay shut, as a test that fails if it opens.

Forged tokens start from a real one and change one thing, so each test proves that
exactly one check (signature, algorithm, expiry, issuer, ...) refuses them.
"""

import base64
import json
import time
from typing import Any

import jwt
import pytest
from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, Account
from fastapi.testclient import TestClient
from httpx2 import Response

from app.config import Settings
from app.security.tokens import REQUIRED_CLAIMS

ME, ITEMS = "/api/v1/users/me", "/api/v1/items"
REFRESH, LOGOUT = "/api/v1/auth/refresh", "/api/v1/auth/logout"
TOKEN = "/api/v1/auth/token"


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def forge(token: str, settings: Settings, *, key: str = "", **changes: Any) -> str:
    """`token` with `changes` (None removes a claim), signed with the real key."""
    claims = {**claims_of(token), **changes}
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, key or settings.secret_key.get_secret_value(), "HS256")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_refused(response: Response) -> None:
    """401, with the challenge that tells a client to send a bearer token."""
    assert response.status_code == 401, response.text
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_real_token_is_accepted(client: TestClient, ada: Account) -> None:
    """The control: without it, a service refusing everything would pass the suite."""
    assert client.get(ME, headers=ada.headers).status_code == 200


def test_a_missing_token_is_refused(client: TestClient) -> None:
    assert_refused(client.get(ME))


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Basic YWRhOnNlY3JldA==", "Token abc", "Bearer a.b.c", "x"],
)
def test_a_malformed_header_is_refused(client: TestClient, header: str) -> None:
    assert_refused(client.get(ME, headers={"Authorization": header}))


def test_alg_none_is_refused(client: TestClient, ada: Account) -> None:
    unsigned = jwt.encode(claims_of(ada.access_token), None, algorithm="none")
    assert_refused(client.get(ME, headers=bearer(unsigned)))


def test_a_wrong_signature_is_refused(
    client: TestClient, settings: Settings, ada: Account
) -> None:
    other_key = "an attacker's own key, long enough for HS256"
    assert_refused(
        client.get(ME, headers=bearer(forge(ada.access_token, settings, key=other_key)))
    )


def test_a_tampered_payload_is_refused(client: TestClient, ada: Account) -> None:
    """Push "exp" a year ahead, keep the signature: the signature no longer fits."""
    header, _, signature = ada.access_token.split(".")
    claims = claims_of(ada.access_token)
    claims["exp"] += 365 * 24 * 3600
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    tampered = f"{header}.{payload.decode()}.{signature}"
    assert_refused(client.get(ME, headers=bearer(tampered)))


def test_an_expired_access_token_is_refused(
    client: TestClient, settings: Settings, ada: Account
) -> None:
    now = int(time.time())
    expired = forge(ada.access_token, settings, iat=now - 3600, exp=now - 60)
    assert_refused(client.get(ME, headers=bearer(expired)))


@pytest.mark.parametrize("claim", REQUIRED_CLAIMS)
def test_a_token_without_a_required_claim_is_refused(
    client: TestClient, settings: Settings, ada: Account, claim: str
) -> None:
    incomplete = forge(ada.access_token, settings, **{claim: None})
    assert_refused(client.get(ME, headers=bearer(incomplete)))


@pytest.mark.parametrize(
    "changes", [{"iss": "https://evil.example"}, {"aud": "another-service"}]
)
def test_a_wrong_issuer_or_audience_is_refused(
    client: TestClient, settings: Settings, ada: Account, changes: dict[str, str]
) -> None:
    assert_refused(
        client.get(ME, headers=bearer(forge(ada.access_token, settings, **changes)))
    )


def test_a_refresh_token_is_not_an_access_token(
    client: TestClient, ada: Account
) -> None:
    assert_refused(client.get(ME, headers=bearer(ada.refresh_token)))


def test_an_access_token_is_not_a_refresh_token(
    client: TestClient, ada: Account
) -> None:
    assert_refused(client.post(REFRESH, json={"refresh_token": ada.access_token}))
    # refused as the wrong type, not as a reuse: the session is still open
    assert client.post(REFRESH, json={"refresh_token": ada.refresh_token}).is_success


def test_refresh_rotates_the_tokens(client: TestClient, ada: Account) -> None:
    response = client.post(REFRESH, json={"refresh_token": ada.refresh_token})
    assert response.status_code == 200
    pair = response.json()
    assert pair["refresh_token"] != ada.refresh_token
    assert client.get(ME, headers=bearer(pair["access_token"])).status_code == 200


def test_a_reused_refresh_token_revokes_its_whole_family(
    client: TestClient, ada: Account
) -> None:
    stolen = ada.refresh_token
    pair = client.post(REFRESH, json={"refresh_token": stolen}).json()  # the user
    assert_refused(client.post(REFRESH, json={"refresh_token": stolen}))  # the thief
    # Both sides lose the session: the newest refresh and access tokens are dead.
    assert_refused(client.post(REFRESH, json={"refresh_token": pair["refresh_token"]}))
    assert_refused(client.get(ME, headers=bearer(pair["access_token"])))


def log_out(client: TestClient, token: str, **kwargs: Any) -> Response:
    return client.post(LOGOUT, json={"refresh_token": token}, **kwargs)


def assert_no_content(response: Response) -> None:
    """204 and an empty body: logout tells nothing about the token it was sent."""
    assert (response.status_code, response.content) == (204, b""), response.text


def test_other_sessions_survive_a_revoked_family(
    client: TestClient, ada: Account, sign_in: Any
) -> None:
    laptop = sign_in("ada@example.com")
    assert_no_content(log_out(client, ada.refresh_token))
    assert client.get(ME, headers=laptop.headers).status_code == 200


def test_tokens_stop_working_after_logout(client: TestClient, ada: Account) -> None:
    assert_no_content(log_out(client, ada.refresh_token))
    assert_refused(client.get(ME, headers=ada.headers))
    assert_refused(client.post(REFRESH, json={"refresh_token": ada.refresh_token}))
    assert_no_content(log_out(client, ada.refresh_token))  # again: harmless


def test_logout_works_after_the_access_token_expired(
    client: TestClient, settings: Settings, ada: Account
) -> None:
    now = int(time.time())
    expired = forge(ada.access_token, settings, iat=now - 3600, exp=now - 60)
    assert_no_content(log_out(client, ada.refresh_token, headers=bearer(expired)))
    assert_refused(client.post(REFRESH, json={"refresh_token": ada.refresh_token}))
    assert_refused(client.get(ME, headers=ada.headers))


@pytest.mark.parametrize(
    "garbage", ["garbage", "a.b.c", "access token", "another key", "expired"]
)
def test_logout_of_garbage_is_harmless_and_says_nothing(
    client: TestClient, settings: Settings, ada: Account, garbage: str
) -> None:
    now = int(time.time())
    token = {
        "access token": ada.access_token,
        "another key": forge(ada.refresh_token, settings, key="x" * 32),
        "expired": forge(ada.refresh_token, settings, exp=now - 60),
    }.get(garbage, garbage)
    assert_no_content(log_out(client, token))
    # Ada's session is untouched: none of these could end it.
    assert client.get(ME, headers=ada.headers).status_code == 200
    assert client.post(REFRESH, json={"refresh_token": ada.refresh_token}).is_success


@pytest.mark.parametrize("changed_by", ["herself", "an administrator"])
def test_a_new_password_ends_every_session_of_its_user(
    client: TestClient, ada: Account, admin: Account, sign_in: Any, changed_by: str
) -> None:
    stolen = sign_in("ada@example.com")  # a session the thief holds
    renamed = client.patch(ME, json={"full_name": "Ada King"}, headers=ada.headers)
    assert renamed.status_code == 200  # other changes leave the sessions open
    new = {"password": "a new passphrase, long"}
    if changed_by == "herself":
        proof = {**new, "current_password": PASSWORD}
        changed = client.patch(ME, json=proof, headers=ada.headers)
    else:
        url = f"/api/v1/users/{ada.id}"
        changed = client.patch(url, json=new, headers=admin.headers)
    assert changed.status_code == 200
    for before in (stolen, ada):
        assert_refused(client.get(ME, headers=before.headers))
        assert_refused(
            client.post(REFRESH, json={"refresh_token": before.refresh_token})
        )
    assert client.get(ME, headers=admin.headers).status_code == 200
    assert sign_in("ada@example.com", new["password"]).id == ada.id


def test_another_users_item_is_invisible_and_unchanged(
    client: TestClient, ada: Account, bob: Account
) -> None:
    tea = {"name": "Ada's tea", "price_cents": 650, "sku": "TEA-0001"}
    url = f"{ITEMS}/{client.post(ITEMS, json=tea, headers=ada.headers).json()['id']}"
    answers = [
        client.get(url, headers=bob.headers),
        client.patch(url, json={"price_cents": 1}, headers=bob.headers),
        client.delete(url, headers=bob.headers),
    ]
    for response in answers:
        assert response.status_code == 404
        assert "Ada's tea" not in response.text
    assert client.get(ITEMS, headers=bob.headers).json()["total"] == 0
    assert client.get(url, headers=ada.headers).json()["price_cents"] == 650


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/users"),
        ("get", "/api/v1/users/2"),  # Ada's own account (the administrator is 1)
        ("patch", "/api/v1/users/2"),
        ("delete", "/api/v1/users/2"),
    ],
)
def test_admin_routes_refuse_other_users_with_403(
    client: TestClient, ada: Account, admin: Account, method: str, path: str
) -> None:
    response = client.request(method, path, json={}, headers=ada.headers)
    assert response.status_code == 403
    assert_refused(client.request(method, path, json={}))
    assert client.request(method, path, json={}, headers=admin.headers).is_success


def test_token_responses_are_never_cached(client: TestClient, ada: Account) -> None:
    """RFC 6749 §5.1: no cache, shared or private, may keep a token."""
    login = {"username": "ada@example.com", "password": PASSWORD}
    for response in (
        client.post("/api/v1/auth/token", data=login),
        client.post(REFRESH, json={"refresh_token": ada.refresh_token}),
    ):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Pragma"] == "no-cache"


@pytest.mark.parametrize(
    "change", [{"password": "a new passphrase, long"}, {"email": "eve@example.com"}]
)
def test_a_stolen_token_cannot_change_the_credentials(
    client: TestClient, ada: Account, sign_in: Any, change: dict[str, str]
) -> None:
    """A thief with a token but not the password cannot lock the owner out."""
    for proof in ({}, {"current_password": "a guess, long enough"}):
        response = client.patch(ME, json={**change, **proof}, headers=ada.headers)
        assert response.status_code == 403, response.text
    assert client.get(ME, headers=ada.headers).json()["email"] == "ada@example.com"
    assert sign_in("ada@example.com").id == ada.id  # the password still works
    right = client.patch(
        ME, json={**change, "current_password": PASSWORD}, headers=ada.headers
    )
    assert right.status_code == 200


@pytest.mark.parametrize(
    "change", [{"password": "a new passphrase, long"}, {"email": "eve@example.com"}]
)
def test_an_admin_token_alone_cannot_change_the_admins_credentials(
    client: TestClient, admin: Account, sign_in: Any, change: dict[str, str]
) -> None:
    """The admin route, on the admin's own account, is no way around /users/me."""
    own = f"/api/v1/users/{admin.id}"
    response = client.patch(own, json=change, headers=admin.headers)
    assert response.status_code == 403, response.text
    assert client.get(own, headers=admin.headers).json()["email"] == ADMIN_EMAIL
    assert sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).id == admin.id  # still works
    renamed = client.patch(own, json={"full_name": "Root"}, headers=admin.headers)
    assert renamed.status_code == 200  # the other fields still change there
    proof = {**change, "current_password": ADMIN_PASSWORD}
    assert client.patch(ME, json=proof, headers=admin.headers).status_code == 200


def test_the_last_administrator_cannot_be_deleted(
    client: TestClient, admin: Account, ada: Account
) -> None:
    own = f"/api/v1/users/{admin.id}"
    response = client.delete(own, headers=admin.headers)
    assert response.status_code == 409, response.text
    assert "another administrator" in response.json()["detail"]
    assert client.get(own, headers=admin.headers).json()["role"] == "admin"
    assert client.delete(f"/api/v1/users/{ada.id}", headers=admin.headers).is_success


def test_a_deleted_users_tokens_stop_working(
    client: TestClient, ada: Account, admin: Account
) -> None:
    assert client.delete(f"/api/v1/users/{ada.id}", headers=admin.headers).is_success
    assert_refused(client.get(ME, headers=ada.headers))
    assert_refused(client.post(REFRESH, json={"refresh_token": ada.refresh_token}))


@pytest.mark.parametrize("by", ["herself", "an administrator"])
def test_a_changed_password_follows_the_sign_up_rule(
    client: TestClient, ada: Account, admin: Account, by: str
) -> None:
    weak = {"password": "ada, this is mine"}
    if by == "herself":
        response = client.patch(
            ME, json={**weak, "current_password": PASSWORD}, headers=ada.headers
        )
    else:
        url = f"/api/v1/users/{ada.id}"
        response = client.patch(url, json=weak, headers=admin.headers)
    assert response.status_code == 422
    assert "name in the email" in response.text


def test_settings_errors_never_show_a_secret() -> None:
    with pytest.raises(ValueError) as error:
        Settings(_env_file=None, secret_key="too-short-secret")
    assert "too-short-secret" not in str(error.value)


@pytest.mark.parametrize("written", [" Ada@Example.COM ", "ADA@example.com"])
def test_sign_in_reads_the_email_as_sign_up_did(
    client: TestClient, ada: Account, written: str
) -> None:
    answer = client.post(TOKEN, data={"username": written, "password": PASSWORD})
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    "username", ["x" * 5000 + "@example.com", "a\x00b@example.com", "not an email"]
)
def test_a_username_no_email_can_be_is_a_wrong_password(
    client: TestClient, username: str
) -> None:
    answer = client.post(TOKEN, data={"username": username, "password": PASSWORD})
    assert answer.status_code == 401, answer.text
