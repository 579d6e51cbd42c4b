"""Property-based tests of the whole API: schemathesis reads the OpenAPI document,
makes requests from it (valid ones and ones that break it on purpose), and checks
every answer against what the document promises: no 5xx, the documented status,
headers and schema, and invalid input refused.

Each request is made by an administrator, so the protected routes are reached, in
a world that has what a valid request needs: ids 1 and 2 of users, id 1 of items,
caps no run can reach. An example can end that world (the administrator deletes
itself, or changes its password): the next one then starts on a new database. The
number of cases is bounded: EXAMPLES per operation and phase.
"""

from collections.abc import Iterator
from contextlib import ExitStack

import hypothesis
import pytest
import schemathesis
from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD
from fresh_databases import Databases
from pydantic import SecretStr
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.config import Settings
from app.main import create_app

EXAMPLES = 30
SPEC = create_app(Settings(_env_file=None, environment="test")).openapi()
schema = schemathesis.openapi.from_dict(SPEC)
ADA = {"email": "ada@example.com", "full_name": "Ada", "password": PASSWORD}
TEA = {"name": "Green tea", "sku": "TEA-0001", "price_cents": 650}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Caps out of reach: one 429 would answer every request after it."""
    unreachable = 10**6
    return settings.model_copy(
        update={
            "login_free_attempts": unreachable,
            "login_attempts_per_window": unreachable,
            "sign_ups_per_window": unreachable,
        }
    )


class World:
    """An app on a database of its own: the administrator (user 1) signed in,
    Ada (user 2), and the administrator's item 1."""

    def __init__(self, databases: Databases, settings: Settings) -> None:
        self.databases, self.settings, self.stack = databases, settings, ExitStack()
        self.session, self.headers = self.start()

    def start(self) -> tuple[asgi.ASGIClient, dict[str, str]]:
        url = self.stack.enter_context(self.databases.database())
        settings = self.settings.model_copy(update={"database_url": SecretStr(url)})
        session = self.stack.enter_context(asgi.get_client(create_app(settings)))
        form = {"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        token = session.post("/api/v1/auth/token", data=form).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert session.post("/api/v1/users", json=ADA).status_code == 201
        assert session.post("/api/v1/items", json=TEA, headers=headers).ok
        return session, headers

    def ready(self) -> tuple[asgi.ASGIClient, dict[str, str]]:
        """This world, or a new one if an example ended the administrator's."""
        if not self.session.get("/api/v1/users/me", headers=self.headers).ok:
            self.close()
            self.session, self.headers = self.start()
        return self.session, self.headers

    def close(self) -> None:
        asgi.shutdown_lifespans()
        self.stack.close()


@pytest.fixture
def world(databases: Databases, settings: Settings) -> Iterator[World]:
    world = World(databases, settings)
    yield world
    world.close()


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The world is a fixture on purpose: ready() renews it when it must.
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)
def test_every_answer_keeps_the_documents_promises(
    case: schemathesis.Case, world: World
) -> None:
    session, headers = world.ready()
    case.call_and_validate(
        session=session,
        base_url=session.base_url,
        headers=headers,
        # The service refuses many valid requests by its rules: a wrong
        # current_password, a taken email, an id nobody has. This one check
        # would call each of those a failure.
        excluded_checks=[positive_data_acceptance],
    )
