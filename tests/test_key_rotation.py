"""Rotating the signing key: a token a retired key signed still opens until it
expires, every new token is signed with the current key and names it, and a token
that names a key the service does not hold is refused like any bad token."""

import jwt
import pytest
from conftest import PASSWORD
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError

from app.config import Settings
from app.main import create_app
from app.security.tokens import key_id

OLD = SecretStr("retired-key-" + "0123456789abcdef" * 3)
NEW = SecretStr("current-key-" + "fedcba9876543210" * 3)
ME, REFRESH = "/api/v1/users/me", "/api/v1/auth/refresh"


def signing_with(settings: Settings, key: SecretStr, *retired: SecretStr) -> Settings:
    return settings.model_copy(
        update={"secret_key": key, "previous_secret_keys": list(retired)}
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def tokens_before_the_rotation(settings: Settings) -> dict[str, str]:
    """Ada signs up and in while the service signs with OLD: her two tokens."""
    with TestClient(create_app(signing_with(settings, OLD))) as client:
        user = {"email": "ada@example.com", "full_name": "Ada", "password": PASSWORD}
        assert client.post("/api/v1/users", json=user).status_code == 201
        form = {"username": user["email"], "password": PASSWORD}
        response = client.post("/api/v1/auth/token", data=form)
        assert response.status_code == 200, response.text
        tokens: dict[str, str] = response.json()
    return tokens


def test_a_retired_key_opens_its_tokens_and_new_ones_name_the_current_key(
    settings: Settings,
) -> None:
    old = tokens_before_the_rotation(settings)
    assert jwt.get_unverified_header(old["access_token"])["kid"] == key_id(OLD)
    with TestClient(create_app(signing_with(settings, NEW, OLD))) as client:
        assert client.get(ME, headers=bearer(old["access_token"])).status_code == 200
        renewed = client.post(REFRESH, json={"refresh_token": old["refresh_token"]})
        assert renewed.status_code == 200, renewed.text
    new = renewed.json()
    for token in new["access_token"], new["refresh_token"]:
        assert jwt.get_unverified_header(token)["kid"] == key_id(NEW)
    # Once the retired key is dropped, the renewed session needs it no more.
    with TestClient(create_app(signing_with(settings, NEW))) as client:
        assert client.get(ME, headers=bearer(new["access_token"])).status_code == 200


def test_a_token_naming_a_key_the_service_does_not_hold_is_refused(
    settings: Settings,
) -> None:
    old = tokens_before_the_rotation(settings)
    claims = jwt.decode(old["access_token"], options={"verify_signature": False})
    secret = OLD.get_secret_value()
    unnamed = jwt.encode(claims, secret, "HS256")
    named_wrongly = jwt.encode(claims, secret, "HS256", headers={"kid": key_id(NEW)})
    with TestClient(create_app(signing_with(settings, NEW))) as client:
        for token in old["access_token"], unnamed, named_wrongly:
            refused = client.get(ME, headers=bearer(token))
            assert refused.status_code == 401, refused.text
            assert refused.headers["content-type"] == "application/problem+json"
            assert refused.headers["WWW-Authenticate"] == "Bearer"


def test_a_retired_key_is_held_to_the_length_of_a_key() -> None:
    with pytest.raises(ValidationError, match="previous_secret_keys"):
        Settings(_env_file=None, previous_secret_keys=["short"])
