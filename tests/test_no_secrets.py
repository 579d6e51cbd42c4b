"""No response carries a password or a hash, on any route, present or future.

Routes are read from the OpenAPI document, so a new route is covered without
editing this file. Request bodies are the examples of the input models; every
call is made by the administrator, so no route is skipped for lack of rights.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, Account
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

SECRET = re.compile(r"password|hash", re.IGNORECASE)
METHODS = ("get", "post", "put", "patch", "delete")
SPEC = create_app(Settings(_env_file=None, environment="test")).openapi()
OPERATIONS = [
    (method, path)
    for path, operations in SPEC["paths"].items()
    for method in METHODS
    if method in operations
]
TOKEN, REFRESH = "/api/v1/auth/token", "/api/v1/auth/refresh"
TAKES_A_REFRESH_TOKEN = (REFRESH, "/api/v1/auth/logout")


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a $ref into components/schemas."""
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def field_names(schema: dict[str, Any], seen: set[str] | None = None) -> Iterator[str]:
    """Every property name a schema can contain, nested ones included."""
    seen = set() if seen is None else seen
    if "$ref" in schema:
        if schema["$ref"] in seen:
            return
        seen.add(schema["$ref"])
    schema = resolve(schema)
    for name, child in schema.get("properties", {}).items():
        yield name
        yield from field_names(child, seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from field_names(schema[key], seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for child in schema.get(key, []):
            yield from field_names(child, seen)


def example_body(method: str, path: str) -> Any:
    body = SPEC["paths"][path][method].get("requestBody")
    if body is None:
        return None
    schema = resolve(body["content"]["application/json"]["schema"])
    assert schema.get("examples"), f"give {schema['title']} an example to send"
    return schema["examples"][0]


def sent_passwords() -> set[str]:
    sent = {
        value
        for method, path in OPERATIONS
        if path != TOKEN and path not in TAKES_A_REFRESH_TOKEN
        for key, value in (example_body(method, path) or {}).items()
        if SECRET.search(key)
    }
    return sent | {ADMIN_PASSWORD, PASSWORD}


def call(client: TestClient, admin: Account, method: str, path: str) -> Any:
    """The request a real client would send to this route, as the administrator."""
    if path == TOKEN:
        credentials = {"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        return client.post(path, data=credentials)
    if path in TAKES_A_REFRESH_TOKEN:
        return client.post(path, json={"refresh_token": admin.refresh_token})
    # User 2 is the one the setup signed up: 1, the administrator, cannot be deleted.
    url = re.sub(r"\{[^}]+\}", "1", path.replace("{user_id}", "2"))
    body = example_body(method, path)
    return client.request(method, url, json=body, headers=admin.headers)


def secret_keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [k for k in value if SECRET.search(k)] + [
            key for child in value.values() for key in secret_keys(child)
        ]
    if isinstance(value, list):
        return [key for child in value for key in secret_keys(child)]
    return []


def label(operation: tuple[str, str]) -> str:
    return f"{operation[0].upper()} {operation[1]}"


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=map(label, OPERATIONS))
def test_no_response_schema_has_a_secret_field(method: str, path: str) -> None:
    for status, response in SPEC["paths"][path][method]["responses"].items():
        for content in response.get("content", {}).values():
            names = set(field_names(content.get("schema", {})))
            assert not {n for n in names if SECRET.search(n)}, (method, path, status)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=map(label, OPERATIONS))
def test_no_response_carries_a_secret(
    client: TestClient, admin: Account, method: str, path: str
) -> None:
    for other in OPERATIONS:  # one of everything, so each id is a real one
        setup = other[0] == "post" and "{" not in other[1] and "/auth/" not in other[1]
        if setup and other != (method, path):
            assert call(client, admin, *other).is_success, label(other)
    response = call(client, admin, method, path)
    assert response.is_success, (response.status_code, response.text)
    assert not any(password in response.text for password in sent_passwords())
    assert "$argon2" not in response.text
    if response.content:
        assert secret_keys(response.json()) == []
