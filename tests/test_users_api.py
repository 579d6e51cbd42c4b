"""Every users route over HTTP: status codes, bodies, errors, and who may call it."""

import asyncio

import httpx2
from conftest import PASSWORD, Account
from fastapi.testclient import TestClient
from problem_details import problem

ADA = {"email": "ada@example.com", "full_name": "Ada Lovelace", "password": PASSWORD}
URL = "/api/v1/users"


def test_sign_up_answers_201_with_the_public_fields(client: TestClient) -> None:
    response = client.post(URL, json=ADA)
    assert response.status_code == 201
    assert response.json() == {
        "id": 2,  # 1 is the administrator from settings
        "email": "ada@example.com",
        "full_name": "Ada Lovelace",
        "role": "user",
    }


def test_a_duplicate_email_is_409(client: TestClient) -> None:
    client.post(URL, json=ADA)
    response = client.post(URL, json={**ADA, "email": "Ada@Example.com"})
    assert response.status_code == 409
    assert problem(response) == {
        "type": "https://fastapi-in-production.example/problems/conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "The email ada@example.com is already registered.",
    }


def test_invalid_or_unknown_fields_are_422(client: TestClient) -> None:
    assert client.post(URL, json={**ADA, "email": "ada"}).status_code == 422
    assert client.post(URL, json={**ADA, "role": "admin"}).status_code == 422


def test_me_reads_and_updates_the_signed_in_user(
    client: TestClient, ada: Account
) -> None:
    assert client.get(f"{URL}/me", headers=ada.headers).json()["id"] == ada.id
    response = client.patch(
        f"{URL}/me", headers=ada.headers, json={"full_name": "Ada King"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "id": ada.id,
        "email": "ada@example.com",
        "full_name": "Ada King",
        "role": "user",
    }


def test_your_new_email_must_be_free(client: TestClient, ada: Account) -> None:
    client.post(URL, json={**ADA, "email": "grace@example.com"})
    change = {"email": "grace@example.com", "current_password": PASSWORD}
    response = client.patch(f"{URL}/me", json=change, headers=ada.headers)
    assert problem(response)["status"] == 409
    assert client.get(f"{URL}/me", headers=ada.headers).json()["email"] == ADA["email"]


def test_text_with_a_nul_character_is_refused(client: TestClient, ada: Account) -> None:
    """PostgreSQL's text cannot hold U+0000, SQLite's can: both refuse it alike."""
    sign_in = {"username": "ada\x00@example.com", "password": PASSWORD}
    assert problem(client.post("/api/v1/auth/token", data=sign_in))["status"] == 401
    change = {"full_name": "Ada\x00"}
    renamed = client.patch(f"{URL}/me", json=change, headers=ada.headers)
    assert problem(renamed)["errors"][0]["pointer"] == "#/full_name"
    assert client.get(f"{URL}/me", headers=ada.headers).json()["full_name"] == "ada"


def test_admins_read_a_user_and_a_missing_one(
    client: TestClient, admin: Account, ada: Account
) -> None:
    response = client.get(f"{URL}/{ada.id}", headers=admin.headers)
    assert (response.json()["email"], response.json()["role"]) == (
        "ada@example.com",
        "user",
    )
    assert client.get(f"{URL}/me", headers=admin.headers).json()["role"] == "admin"
    response = client.get(f"{URL}/99", headers=admin.headers)
    assert response.status_code == 404
    assert problem(response)["detail"] == "There is no user 99."


def test_admins_list_pages_with_a_total(client: TestClient, admin: Account) -> None:
    for n in range(3):
        client.post(URL, json={**ADA, "email": f"user{n}@example.com"})
    page = client.get(URL, params={"limit": 2, "offset": 1}, headers=admin.headers)
    assert [user["id"] for user in page.json()["items"]] == [2, 3]
    assert (page.json()["total"], page.json()["offset"]) == (4, 1)
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
        response = client.get(URL, params=params, headers=admin.headers)
        assert response.status_code == 422, params


def test_admins_update_and_delete_users(
    client: TestClient, admin: Account, ada: Account
) -> None:
    response = client.patch(
        f"{URL}/{ada.id}", headers=admin.headers, json={"email": "admin@example.com"}
    )
    assert response.status_code == 409
    response = client.delete(f"{URL}/{ada.id}", headers=admin.headers)
    assert (response.status_code, response.content) == (204, b"")
    assert client.get(f"{URL}/{ada.id}", headers=admin.headers).status_code == 404
    assert client.get(f"{URL}/me", headers=ada.headers).status_code == 401


async def test_sign_ups_in_flight_together_each_get_an_account(
    api: httpx2.AsyncClient,
) -> None:
    """The async client: three requests really in flight at once, on this loop."""
    emails = [f"user{n}@example.com" for n in range(3)]
    answers = await asyncio.gather(
        *(api.post(URL, json={**ADA, "email": email}) for email in emails)
    )
    assert [answer.status_code for answer in answers] == [201, 201, 201]
    assert sorted(answer.json()["email"] for answer in answers) == emails
