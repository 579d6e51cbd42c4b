"""Every documented answer of every route is produced by a test, and every route
says what it does. Runs after all the other tests (see conftest.py)."""

from pathlib import Path

import pytest
from conftest import DESELECTED, SWEEPS
from route_coverage import SEEN, uncovered, undescribed

from app.config import Settings
from app.main import create_app
from app.routers.responses import EVERY_ROUTE

SPEC = create_app(Settings(_env_file=None, environment="test")).openapi()
HERE = Path(__file__).parent


def whole_suite_ran(request: pytest.FixtureRequest) -> bool:
    files = {item.path for item in request.session.items} | {i.path for i in DESELECTED}
    return not DESELECTED and set(HERE.glob("test_*.py")) <= files


def test_every_route_has_a_summary_and_a_description() -> None:
    assert undescribed(SPEC) == []


def test_every_documented_answer_is_produced_by_a_test(
    request: pytest.FixtureRequest,
) -> None:
    if hasattr(request.config, "workerinput"):  # pytest-xdist: SEEN is per worker
        pytest.skip("route coverage needs every test in one process: run without -n")
    if not whole_suite_ran(request):
        pytest.skip("route coverage is measured on a run of the whole suite")
    assert SWEEPS.keys() <= {item.originalname for item in request.session.items}
    assert uncovered(SPEC, SEEN, whole_api=set(EVERY_ROUTE)) == []
