"""Every users route over HTTP: status codes, bodies, errors."""

from fastapi.testclient import TestClient

ADA = {
    "email": "ada@example.com",
    "full_name": "Ada Lovelace",
    "password": "correct horse battery staple",
}
URL = "/api/v1/users"


def test_create_answers_201_with_the_public_fields(client: TestClient) -> None:
    response = client.post(URL, json=ADA)
    assert response.status_code == 201
    assert response.json() == {
        "id": 1,
        "email": "ada@example.com",
        "full_name": "Ada Lovelace",
    }


def test_a_duplicate_email_is_409(client: TestClient) -> None:
    client.post(URL, json=ADA)
    response = client.post(URL, json={**ADA, "email": "Ada@Example.com"})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The email ada@example.com is already registered."
    }


def test_invalid_or_unknown_fields_are_422(client: TestClient) -> None:
    assert client.post(URL, json={**ADA, "email": "ada"}).status_code == 422
    assert client.post(URL, json={**ADA, "is_admin": True}).status_code == 422


def test_read_a_user_and_a_missing_one(client: TestClient) -> None:
    client.post(URL, json=ADA)
    assert client.get(f"{URL}/1").json()["email"] == "ada@example.com"
    response = client.get(f"{URL}/2")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no user 2."}


def test_list_pages_with_a_total(client: TestClient) -> None:
    for n in range(3):
        client.post(URL, json={**ADA, "email": f"user{n}@example.com"})
    page = client.get(URL, params={"limit": 2, "offset": 1}).json()
    assert [user["id"] for user in page["items"]] == [2, 3]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)
    assert client.get(URL).json()["limit"] == 20


def test_list_refuses_pages_out_of_bounds(client: TestClient) -> None:
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        assert client.get(URL, params=params).status_code == 422, params


def test_update_changes_what_was_sent(client: TestClient) -> None:
    client.post(URL, json=ADA)
    response = client.patch(f"{URL}/1", json={"full_name": "Ada King"})
    assert response.status_code == 200
    assert response.json() == {
        "id": 1,
        "email": "ada@example.com",
        "full_name": "Ada King",
    }
    assert client.patch(f"{URL}/2", json={"full_name": "X"}).status_code == 404


def test_update_to_a_taken_email_is_409(client: TestClient) -> None:
    client.post(URL, json=ADA)
    client.post(URL, json={**ADA, "email": "grace@example.com"})
    response = client.patch(f"{URL}/2", json={"email": "ada@example.com"})
    assert response.status_code == 409


def test_delete_answers_204_then_the_user_is_gone(client: TestClient) -> None:
    client.post(URL, json=ADA)
    response = client.delete(f"{URL}/1")
    assert (response.status_code, response.content) == (204, b"")
    assert client.get(f"{URL}/1").status_code == 404
    assert client.delete(f"{URL}/1").status_code == 404
