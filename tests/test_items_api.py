"""Every items route over HTTP: status codes, bodies, errors."""

from fastapi.testclient import TestClient

TEA = {"name": "Green tea", "price_cents": 650, "sku": "TEA-0001"}
URL = "/api/v1/items"


def test_create_answers_201(client: TestClient) -> None:
    response = client.post(URL, json=TEA)
    assert response.status_code == 201
    assert response.json() == {**TEA, "id": 1, "description": ""}


def test_a_duplicate_sku_is_409(client: TestClient) -> None:
    client.post(URL, json=TEA)
    response = client.post(URL, json={**TEA, "name": "Other tea"})
    assert response.status_code == 409
    assert response.json() == {"detail": "The SKU TEA-0001 is already in use."}


def test_invalid_items_are_422(client: TestClient) -> None:
    assert client.post(URL, json={**TEA, "price_cents": -1}).status_code == 422
    assert client.post(URL, json={**TEA, "owner_id": 1}).status_code == 422


def test_read_an_item_and_a_missing_one(client: TestClient) -> None:
    client.post(URL, json=TEA)
    assert client.get(f"{URL}/1").json()["sku"] == "TEA-0001"
    assert client.get(f"{URL}/2").status_code == 404


def test_list_pages_with_a_total(client: TestClient) -> None:
    for n in range(3):
        client.post(URL, json={**TEA, "sku": f"TEA-000{n}"})
    page = client.get(URL, params={"limit": 1, "offset": 2}).json()
    assert [item["sku"] for item in page["items"]] == ["TEA-0002"]
    assert page["total"] == 3
    assert client.get(URL, params={"limit": 101}).status_code == 422


def test_update_changes_what_was_sent(client: TestClient) -> None:
    client.post(URL, json=TEA)
    response = client.patch(f"{URL}/1", json={"price_cents": 590})
    assert response.status_code == 200
    assert response.json() == {**TEA, "id": 1, "description": "", "price_cents": 590}
    assert client.patch(f"{URL}/2", json={"price_cents": 1}).status_code == 404


def test_delete_answers_204_then_the_item_is_gone(client: TestClient) -> None:
    client.post(URL, json=TEA)
    assert client.delete(f"{URL}/1").status_code == 204
    assert client.get(f"{URL}/1").status_code == 404
    assert client.delete(f"{URL}/1").status_code == 404
