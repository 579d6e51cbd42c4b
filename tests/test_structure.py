"""The skeleton: probe, versioned API, and documentation built from settings."""

import gc
import weakref

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_health_is_up_and_reports_the_version(
    client: TestClient, settings: Settings
) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": settings.version}


def test_info_describes_the_service(client: TestClient, settings: Settings) -> None:
    response = client.get("/api/v1/info")
    assert response.status_code == 200
    assert response.json() == {
        "name": settings.name,
        "version": settings.version,
        "environment": "test",
    }


def test_api_routes_live_under_the_versioned_prefix(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/info" in paths
    probes = {"/health", "/health/ready"}
    assert all(path.startswith("/api/v1/") or path in probes for path in paths)


def test_openapi_title_and_version_come_from_settings(client: TestClient) -> None:
    info = client.get("/openapi.json").json()["info"]
    assert info == {
        "title": "FastAPI in Production",
        "version": "0.1.0",
        "description": info["description"],
    }
    assert "versioned prefix" in info["description"]


def test_unknown_paths_are_404(client: TestClient) -> None:
    assert client.get("/api/v2/info").status_code == 404


def test_an_app_that_has_shut_down_can_be_collected(settings: Settings) -> None:
    app, frozen_before = create_app(settings), gc.get_freeze_count()
    with TestClient(app):
        assert gc.get_freeze_count() > frozen_before  # out of every collection's walk
    gone = weakref.ref(app)
    del app
    gc.collect()
    assert gone() is None  # thawed at shut-down: a test run builds hundreds of apps
