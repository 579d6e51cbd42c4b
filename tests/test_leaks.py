"""NoLeaks fails the test whose answer repeats a password it was sent, or shows a
traceback; it lets every other answer through."""

from typing import Any

import pytest
from fastapi import FastAPI, Form
from fastapi.testclient import TestClient
from leaks import NoLeaks

SECRET = "a long secret of the test"


def careless_app() -> FastAPI:
    app = FastAPI()

    @app.post("/echo")
    async def echo(body: dict[str, Any]) -> dict[str, Any]:
        return body

    @app.post("/form")
    async def form(password: str = Form()) -> str:
        return f"you sent {password}"

    @app.get("/trace")
    async def trace() -> str:
        return "Traceback (most recent call last):\n  File ..."

    return app


@pytest.fixture
def careless() -> TestClient:
    return TestClient(NoLeaks(careless_app()))


@pytest.mark.parametrize("field", ["password", "current_password", "new_password"])
def test_a_password_sent_back_in_json_fails(careless: TestClient, field: str) -> None:
    with pytest.raises(AssertionError, match="repeated a password"):
        careless.post("/echo", json={field: SECRET})


def test_a_password_sent_back_from_a_form_fails(careless: TestClient) -> None:
    with pytest.raises(AssertionError, match="repeated a password"):
        careless.post("/form", data={"password": SECRET})


def test_a_traceback_fails(careless: TestClient) -> None:
    with pytest.raises(AssertionError, match="traceback"):
        careless.get("/trace")


def test_other_fields_and_answers_pass(careless: TestClient) -> None:
    assert careless.post("/echo", json={"name": SECRET}).json() == {"name": SECRET}
    assert careless.post("/echo", json=[SECRET]).status_code == 422
