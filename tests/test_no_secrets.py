"""No response carries a password or a hash, on any route, present or future.

Routes are read from the OpenAPI document, so a new route is covered without
editing this file. Request bodies are the examples of the input models.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
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
    return {
        value
        for method, path in OPERATIONS
        for key, value in (example_body(method, path) or {}).items()
        if SECRET.search(key)
    }


def call(client: TestClient, method: str, path: str) -> Any:
    url = re.sub(r"\{[^}]+\}", "1", path)
    return client.request(method, url, json=example_body(method, path))


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
    client: TestClient, method: str, path: str
) -> None:
    for other in OPERATIONS:  # one of everything, so `1` is a real id
        if other[0] == "post" and "{" not in other[1] and other != (method, path):
            assert call(client, *other).is_success, label(other)
    response = call(client, method, path)
    assert response.is_success, (response.status_code, response.text)
    assert not any(password in response.text for password in sent_passwords())
    if response.content:
        assert secret_keys(response.json()) == []
