"""Property-based tests of the whole API: schemathesis reads /openapi.json, makes
requests from it, and checks every answer against what the document promises."""

import time
from collections.abc import Iterator

import pytest
import schemathesis
from conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.config import Settings
from app.main import create_app

SPEC = create_app(Settings(_env_file=None, environment="test")).openapi()
schema = schemathesis.openapi.from_dict(SPEC)
CALLS: list[float] = []


@pytest.fixture
def api(app: FastAPI) -> Iterator[asgi.ASGIClient]:
    with asgi.get_client(app) as client:
        yield client
    asgi.shutdown_lifespans()


@pytest.fixture
def admin_headers(api: asgi.ASGIClient) -> dict[str, str]:
    form = {"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    token = api.post("/api/v1/auth/token", data=form).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_keeps_the_documents_promises(
    case: schemathesis.Case, api: asgi.ASGIClient, admin_headers: dict[str, str]
) -> None:
    start = time.perf_counter()
    try:
        case.call_and_validate(
            session=api,
            base_url=api.base_url,
            headers=admin_headers,
            # The service refuses many requests the schema allows, by its rules: a
            # wrong current_password, a taken email, too many sign-ups, an id
            # nobody has. The check would call each of those a failure.
            excluded_checks=[positive_data_acceptance],
        )
    finally:
        CALLS.append(time.perf_counter() - start)


def test_report() -> None:
    print("\nCALLS", len(CALLS), "call time", round(sum(CALLS), 2))
