"""Log lines: one JSON object per line on standard output, with the request id of
the request that wrote it, an access line per request, the servers' own lines in
the same format, and no secret in any of them."""

import logging
import secrets

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from observed import PASSWORD, json_lines, logging_configured, signed_in
from pydantic import SecretStr

from app.config import Settings
from app.main import create_app
from app.observability.logging import MASK


@pytest.fixture
def logged(settings: Settings) -> FastAPI:
    """The app, with this process's logging configured as production has it."""
    with logging_configured(settings):
        yield create_app(settings)


def test_each_request_gets_an_access_line_with_its_id(
    logged: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestClient(logged) as client:
        capsys.readouterr()
        client.get("/api/v1/items/42", headers={"X-Request-ID": "req-42"})
        client.get("/no/such/page")
    access = [
        line
        for line in json_lines(capsys.readouterr().out)
        if line["logger"] == "app.access"
    ]
    first, second = access
    assert first["request_id"] == "req-42" and first["event"] == "request"
    assert first["method"] == "GET" and first["route"] == "/api/v1/items/{item_id}"
    assert first["status"] == 401 and first["level"] == "info"
    assert isinstance(first["duration_ms"], float) and first["client"] == "testclient"
    assert first["time"].endswith("Z")
    assert second["route"] == "unmatched" and second["status"] == 404
    assert second["request_id"] != first["request_id"]


def test_probes_are_logged_only_when_they_fail_or_at_debug(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = SecretStr("postgresql+asyncpg://app:pw@127.0.0.1:1/app")  # port 1: shut
    unreachable = settings.model_copy(update={"database_url": nowhere})
    for level, expected in (("INFO", [("/health/ready", 503)]), ("DEBUG", None)):
        chosen = unreachable.model_copy(update={"log_level": level})
        with logging_configured(chosen), TestClient(create_app(chosen)) as client:
            capsys.readouterr()
            assert client.get("/health").status_code == 200
            assert client.get("/health/ready").status_code == 503
            out = capsys.readouterr().out
        access = [line for line in json_lines(out) if line["logger"] == "app.access"]
        seen = [(line["route"], line["status"]) for line in access]
        if expected is not None:
            assert seen == expected and access[0]["level"] == "info"
        else:
            assert seen == [("/health", 200), ("/health/ready", 503)]
            assert [line["level"] for line in access] == ["debug", "info"]


def test_what_the_app_logs_during_a_request_carries_its_id_and_no_secret(
    logged: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    @logged.get("/speak")
    async def speak() -> dict[str, str]:
        logging.getLogger("app.test").warning(
            "spoke", extra={"new_password": "hunter2hunter2", "Refresh_Token": "t"}
        )
        return {}

    with TestClient(logged) as client:
        client.get("/speak", headers={"X-Request-ID": "said-it"})
    (line,) = [
        line for line in json_lines(capsys.readouterr().out) if line["event"] == "spoke"
    ]
    assert line["request_id"] == "said-it" and line["level"] == "warning"
    assert line["new_password"] == MASK and line["Refresh_Token"] == MASK


def test_secrets_are_masked_at_any_depth_and_under_any_usual_name(
    logged: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = secrets.token_hex(8)
    logging.getLogger("app.test").warning(
        "called",
        extra={
            "upstream": {"status": 502, "headers": {"Authorization": secret}},
            "client_api_key": secret,
            "sent": [("X-API-Key", secret), (b"cookie", secret), ("accept", "*/*")],
            "retries": [{"private_key": secret, "attempt": 2}],
        },
    )
    out = capsys.readouterr().out
    (line,) = json_lines(out)
    assert secret not in out
    assert line["upstream"] == {"status": 502, "headers": {"Authorization": MASK}}
    assert line["client_api_key"] == MASK
    assert line["sent"][2] == ["accept", "*/*"]
    assert line["retries"] == [{"private_key": MASK, "attempt": 2}]


def test_no_password_or_token_reaches_a_log_line(
    logged: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    with TestClient(logged) as client:
        headers = signed_in(client, "ada@example.com")
        client.get("/api/v1/users/me", headers=headers)
        client.get(f"/api/v1/items?token={headers['Authorization'][7:]}")
    # The test's own HTTP client logs the URLs it asks for: only the service counts.
    service = [
        line
        for line in capsys.readouterr().out.splitlines()
        if '"logger": "httpx2"' not in line
    ]
    assert json_lines("\n".join(service))
    assert not [line for line in service if PASSWORD in line]
    assert not [line for line in service if headers["Authorization"][7:] in line]


def test_the_servers_lines_share_the_format(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    with logging_configured(settings):
        logging.getLogger("uvicorn.error").info("Started server process [1]")
        logging.getLogger("gunicorn.error").info("Booting worker with pid: 2")
    lines = json_lines(capsys.readouterr().out)
    assert [line["logger"] for line in lines] == ["uvicorn.error", "gunicorn.error"]


def test_console_format_is_for_people(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    readable = settings.model_copy(
        update={"log_format": "console", "log_level": "INFO"}
    )
    with logging_configured(readable):
        logging.getLogger("app").info("hello", extra={"token": "abc"})
    out = capsys.readouterr().out
    assert "hello" in out and "abc" not in out and not out.startswith("{")


def test_the_level_comes_from_settings(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    quiet = Settings(_env_file=None, environment="test", log_level="warning")
    with logging_configured(quiet):
        logging.getLogger("app").info("not shown")
        logging.getLogger("app").warning("shown")
    assert [line["event"] for line in json_lines(capsys.readouterr().out)] == ["shown"]
    assert settings.log_level == "INFO"
