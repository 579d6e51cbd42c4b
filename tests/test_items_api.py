"""Every items route over HTTP, for a signed-in owner: status codes, bodies, errors."""

from conftest import Account
from fastapi.testclient import TestClient
from problem_details import problem

TEA = {"name": "Green tea", "price_cents": 650, "sku": "TEA-0001"}
URL = "/api/v1/items"


def test_create_answers_201(client: TestClient, ada: Account) -> None:
    response = client.post(URL, json=TEA, headers=ada.headers)
    assert response.status_code == 201
    assert response.json() == {**TEA, "id": 1, "description": ""}


def test_a_duplicate_sku_is_409(client: TestClient, ada: Account) -> None:
    client.post(URL, json=TEA, headers=ada.headers)
    response = client.post(URL, json={**TEA, "name": "Other"}, headers=ada.headers)
    assert response.status_code == 409
    assert problem(response)["detail"] == "The SKU TEA-0001 is already in use."


def test_invalid_items_are_422(client: TestClient, ada: Account) -> None:
    for bad in ({**TEA, "price_cents": -1}, {**TEA, "owner_id": 1}):
        assert client.post(URL, json=bad, headers=ada.headers).status_code == 422


def test_read_an_item_and_a_missing_one(client: TestClient, ada: Account) -> None:
    client.post(URL, json=TEA, headers=ada.headers)
    assert client.get(f"{URL}/1", headers=ada.headers).json()["sku"] == "TEA-0001"
    assert client.get(f"{URL}/2", headers=ada.headers).status_code == 404


def test_list_pages_with_a_total(client: TestClient, ada: Account) -> None:
    for n in range(3):
        client.post(URL, json={**TEA, "sku": f"TEA-000{n}"}, headers=ada.headers)
    page = client.get(URL, params={"limit": 1, "offset": 2}, headers=ada.headers)
    assert [item["sku"] for item in page.json()["items"]] == ["TEA-0002"]
    assert page.json()["total"] == 3
    response = client.get(URL, params={"limit": 101}, headers=ada.headers)
    assert response.status_code == 422


def test_update_changes_what_was_sent(client: TestClient, ada: Account) -> None:
    client.post(URL, json=TEA, headers=ada.headers)
    response = client.patch(f"{URL}/1", json={"price_cents": 590}, headers=ada.headers)
    assert response.status_code == 200
    assert response.json() == {**TEA, "id": 1, "description": "", "price_cents": 590}
    missing = client.patch(f"{URL}/2", json={"price_cents": 1}, headers=ada.headers)
    assert missing.status_code == 404
    client.post(URL, json={**TEA, "sku": "TEA-0002"}, headers=ada.headers)
    taken = client.patch(f"{URL}/2", json={"sku": "TEA-0001"}, headers=ada.headers)
    assert problem(taken)["detail"] == "The SKU TEA-0001 is already in use."
    assert client.get(f"{URL}/2", headers=ada.headers).json()["sku"] == "TEA-0002"


def test_delete_answers_204_then_the_item_is_gone(
    client: TestClient, ada: Account
) -> None:
    client.post(URL, json=TEA, headers=ada.headers)
    assert client.delete(f"{URL}/1", headers=ada.headers).status_code == 204
    assert client.get(f"{URL}/1", headers=ada.headers).status_code == 404
    assert client.delete(f"{URL}/1", headers=ada.headers).status_code == 404


def test_admins_see_every_item(
    client: TestClient, ada: Account, admin: Account
) -> None:
    client.post(URL, json=TEA, headers=ada.headers)
    assert client.get(URL, headers=admin.headers).json()["total"] == 1
    assert client.get(f"{URL}/1", headers=admin.headers).status_code == 200
