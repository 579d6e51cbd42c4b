"""What every route of a kind answers, for every route of that kind, present or
future: the routes are read from the OpenAPI document, as in test_no_secrets.py.

A signed-in route refuses a request without a token (401); a route with an id in
its path answers 404 for an id nobody has, and 422 for one no row can have; a
route with a body answers 422 for a body of the wrong shape, and 400 for one it
cannot read at all.
"""

import re
from typing import Any

import pytest
from conftest import Account
from fastapi.testclient import TestClient
from problem_details import problem
from test_no_secrets import OPERATIONS, SPEC, example_body, label

from app.dependencies import MAX_ID

ID = re.compile(r"\{[^}]+\}")


def form(method: str, path: str) -> bool:
    body = SPEC["paths"][path][method].get("requestBody", {})
    return "application/x-www-form-urlencoded" in body.get("content", {})


def send(client: TestClient, method: str, path: str, *, id: int, **kwargs: Any) -> Any:
    return client.request(method, ID.sub(str(id), path), **kwargs)


SIGNED_IN = [op for op in OPERATIONS if "security" in SPEC["paths"][op[1]][op[0]]]
WITH_ID = [op for op in OPERATIONS if ID.search(op[1])]
WITH_BODY = [op for op in OPERATIONS if "requestBody" in SPEC["paths"][op[1]][op[0]]]


@pytest.mark.parametrize(("method", "path"), SIGNED_IN, ids=map(label, SIGNED_IN))
def test_a_signed_in_route_refuses_a_missing_token(
    client: TestClient, method: str, path: str
) -> None:
    response = send(client, method, path, id=1, json=example_body(method, path))
    assert problem(response)["detail"] == "Not authenticated"
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path"), WITH_ID, ids=map(label, WITH_ID))
def test_an_id_nobody_has_is_404_and_one_no_row_can_have_is_422(
    client: TestClient, admin: Account, method: str, path: str
) -> None:
    body = example_body(method, path)
    missing = send(client, method, path, id=MAX_ID, json=body, headers=admin.headers)
    assert problem(missing)["status"] == 404
    for impossible in (0, MAX_ID + 1, 2**63):
        response = send(
            client, method, path, id=impossible, json=body, headers=admin.headers
        )
        assert problem(response)["errors"][0]["location"] == "path"


@pytest.mark.parametrize(("method", "path"), WITH_BODY, ids=map(label, WITH_BODY))
def test_a_body_of_the_wrong_shape_is_422_and_an_unreadable_one_400(
    client: TestClient, admin: Account, method: str, path: str
) -> None:
    headers = admin.headers
    if "/items/{" in path:  # the item must exist: a missing one is a 404 first
        item = example_body("post", "/api/v1/items")
        assert client.post("/api/v1/items", json=item, headers=headers).is_success
    wrong = send(
        client, method, path, id=1, json=["not", "an", "object"], headers=headers
    )
    if form(method, path):
        wrong = send(client, method, path, id=1, data={}, headers=headers)
    assert problem(wrong)["errors"][0]["location"] == "body"
    kind = (
        "multipart/form-data; boundary=x" if form(method, path) else "application/json"
    )
    unreadable = send(
        client,
        method,
        path,
        id=1,
        content=b"\x80 is not UTF-8",
        headers={**headers, "content-type": kind},
    )
    assert problem(unreadable)["status"] == 400


@pytest.mark.parametrize("query", ["offset=x&offset=0", "limit=1&limit=2"])
def test_a_repeated_page_parameter_is_refused(
    client: TestClient, ada: Account, query: str
) -> None:
    """FastAPI would keep the last value, while a proxy or a log reads the first."""
    response = client.get(f"/api/v1/items?{query}", headers=ada.headers)
    assert response.status_code == 422, response.text
    assert "Give this parameter once" in response.text
