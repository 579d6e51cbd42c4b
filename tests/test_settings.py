"""Configuration: production refuses unsafe settings, one readable line per
problem and no secret printed; the docs, CORS, host names and trusted proxies come
from settings; a developer's .env never reaches a test."""

import json
import logging
import os
import subprocess
import sys
from ipaddress import ip_network
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from postgres_server import free_port

from app import config_check
from app.config import DEVELOPMENT_SECRET, ENV_FILE, PROJECT_ROOT, Settings
from app.config_check import (
    UnsafeSettings,
    check_settings,
    get_settings,
    load_settings,
    names_in_use,
    production_problems,
    unknown_names,
)
from app.main import create_app
from app.middleware.proxies import client_address

KEY = "a-production-key-that-nobody-has-seen-0123"
POSTGRES = "postgresql+asyncpg://app:pg-secret-4d2f@db.internal/app"
ADMIN = "root@example.com"
INFO = "/api/v1/info"


@pytest.fixture(autouse=True)
def no_settings_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test chooses its settings: none comes from the shell that runs it."""
    for name in [name for name in os.environ if name.upper().startswith("APP_")]:
        monkeypatch.delenv(name)


def production(**values: Any) -> Settings:
    """A production configuration that passes, changed by `values`."""
    safe = {
        "environment": "production",
        "secret_key": KEY,
        "database_url": POSTGRES,
        "first_admin_email": ADMIN,
        "first_admin_password": "violet staircase under the moon",
    }
    return Settings(_env_file=None, **{**safe, **values})


def test_a_safe_production_configuration_starts() -> None:
    assert production_problems(production()) == []
    create_app(production())  # raises when it refuses


@pytest.mark.parametrize(
    ("values", "variable", "secret"),
    [
        ({"secret_key": DEVELOPMENT_SECRET}, "APP_SECRET_KEY", DEVELOPMENT_SECRET),
        (
            {"secret_key": f" {DEVELOPMENT_SECRET} "},
            "APP_SECRET_KEY",
            DEVELOPMENT_SECRET,
        ),
        ({"secret_key": "a" * 32}, "APP_SECRET_KEY", "a" * 32),
        ({"db_echo": True}, "APP_DB_ECHO", ""),
        ({"database_url": "sqlite+aiosqlite:///var/app.db"}, "APP_DATABASE_URL", ""),
        ({"first_admin_password": "short-pw-7"}, "APP_FIRST_ADMIN_PASSWORD", "7"),
        (
            {"first_admin_password": "Correct Horse Battery Staple"},
            "APP_FIRST_ADMIN_PASSWORD",
            "Staple",
        ),
        (
            {"first_admin_password": "root-and-a-long-tail-of-words"},
            "APP_FIRST_ADMIN_PASSWORD",
            "tail",
        ),
        ({"cors_origins": ["*"]}, "APP_CORS_ORIGINS", ""),
        ({"cors_origins": ["http://shop.example"]}, "APP_CORS_ORIGINS", ""),
        ({"cors_origins": ["null"]}, "APP_CORS_ORIGINS", ""),
        ({"trusted_proxies": ["10.0.0.0/8", "0.0.0.0/0"]}, "APP_TRUSTED_PROXIES", ""),
        ({"trusted_proxies": ["::/0"]}, "APP_TRUSTED_PROXIES", ""),
    ],
)
def test_production_refuses_an_unsafe_value(
    values: dict[str, Any], variable: str, secret: str
) -> None:
    with pytest.raises(UnsafeSettings) as refused:
        create_app(production(**values))
    [problem] = refused.value.problems
    assert problem.startswith(variable)
    assert not secret or secret not in str(refused.value)
    assert "pg-secret" not in str(refused.value)


def test_production_refuses_an_unset_secret_key() -> None:
    settings = Settings(_env_file=None, environment="production", database_url=POSTGRES)
    [problem] = production_problems(settings)
    assert problem.startswith("APP_SECRET_KEY is not set")


def test_every_problem_is_listed_at_once_on_its_own_line() -> None:
    settings = Settings(
        _env_file=None,
        environment="production",
        first_admin_email=ADMIN,
        first_admin_password="hunter2",
        cors_origins=["*"],
    )
    with pytest.raises(UnsafeSettings) as refused:
        check_settings(settings, names=["APP_SECRT_KEY", "PATH"])
    message = str(refused.value)
    assert message.splitlines()[0] == (
        "APP_ENVIRONMENT=production refuses to start, 5 problems to fix:"
    )
    lines = message.splitlines()[1:]
    assert [line.split()[1] for line in lines] == [
        "APP_SECRET_KEY",
        "APP_DATABASE_URL",
        "APP_FIRST_ADMIN_PASSWORD",
        "APP_CORS_ORIGINS",
        "APP_SECRT_KEY",
    ]
    assert "Did you mean APP_SECRET_KEY?" in lines[-1]
    assert "hunter2" not in message


def test_an_invalid_value_is_listed_with_every_other_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A short key and a list that is not JSON are refused by pydantic; the other
    values are still checked, so one start lists everything to fix."""
    for name, value in {
        "APP_ENVIRONMENT": "production",
        "APP_SECRET_KEY": "short-but-secret",
        "APP_CORS_ORIGINS": "https://shop.example",
        "APP_DB_ECHO": "true",
        "APP_SECRT_KEY": "typed-in-a-hurry",
    }.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(UnsafeSettings) as refused:
        load_settings(_env_file=None)
    message = str(refused.value)
    assert message.splitlines()[0] == "The service refuses to start, 5 problems to fix:"
    assert [line.split()[1] for line in message.splitlines()[1:]] == [
        "APP_CORS_ORIGINS:",
        "APP_SECRET_KEY:",
        "APP_DB_ECHO",
        "APP_DATABASE_URL",
        "APP_SECRT_KEY",
    ]
    assert "short-but-secret" not in message and "typed-in" not in message


@pytest.mark.parametrize("proxy", ["10.0.0.2:8080", "[fd00::2]:8080", "[fd00::2]"])
def test_a_trusted_proxy_with_a_port_is_refused_saying_so(
    monkeypatch: pytest.MonkeyPatch, proxy: str
) -> None:
    """In development too: an invalid value is refused everywhere."""
    monkeypatch.setenv("APP_TRUSTED_PROXIES", json.dumps(["fd00::1", proxy]))
    with pytest.raises(UnsafeSettings) as refused:
        load_settings(_env_file=None)
    [problem] = refused.value.problems
    assert problem.startswith(f"APP_TRUSTED_PROXIES item 2: {proxy!r} has a port")


@pytest.mark.parametrize(
    ("values", "variables"),
    [
        (  # a short key and another unsafe value
            {"APP_ENVIRONMENT": "production", "APP_SECRET_KEY": "short-but-secret"},
            ["APP_SECRET_KEY:", "APP_DATABASE_URL"],
        ),
        ({"APP_CORS_ORIGINS": "https://shop.example"}, ["APP_CORS_ORIGINS:"]),
        (  # a URL without its scheme: refused without a word of it
            {"APP_DATABASE_URL": "app:short-but-secret@db.internal/app"},
            ["APP_DATABASE_URL:"],
        ),
    ],
)
def test_a_real_start_prints_one_line_per_problem_and_exits(
    values: dict[str, str], variables: list[str]
) -> None:
    """uvicorn app.main:app as an operator runs it (these variables win over a
    developer's .env): the refusal's lines, no traceback, a failing status."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    started = subprocess.run(
        [*command, "--port", str(free_port())],
        cwd=PROJECT_ROOT,
        env=environment | values,
        capture_output=True,
        text=True,
        timeout=600,  # a limit for a busy machine: the process exits on its own
    )
    assert started.returncode == 1
    header, *lines = started.stderr.splitlines()
    assert header.endswith("to fix:") and "Traceback" not in started.stderr
    assert all(line.startswith("  - APP_") for line in lines)
    found = [line.split()[1] for line in lines]
    assert all(variable in found for variable in variables), found
    assert "short-but-secret" not in started.stderr


def test_the_settings_error_of_a_short_key_hides_it() -> None:
    with pytest.raises(ValueError) as error:
        Settings(_env_file=None, secret_key="short-but-secret")
    assert "secret_key" in str(error.value)
    assert "short-but-secret" not in str(error.value)


def test_outside_production_a_misspelled_name_is_a_log_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A log line, not a Python warning: the test run turns those into errors."""
    settings = Settings(_env_file=None, environment="development")
    with caplog.at_level(logging.WARNING, logger="app.config"):
        check_settings(settings, names=["APP_VERSON", "APP_NAME", "HOME"])
    assert [r.getMessage() for r in caplog.records] == [
        "APP_VERSON is not a setting, and is ignored. Did you mean APP_VERSION?"
    ]


def test_names_come_from_the_environment_the_env_file_and_the_secrets(
    tmp_path: Path,
) -> None:
    (tmp_path / ".env").write_text("APP_NAME=x\napp_db_ehco=true\n")
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "app_secret_kee").write_text(KEY)
    names = names_in_use(["APP_VERSION", "TERM"], tmp_path / ".env", secrets)
    assert unknown_names(names) == [
        "APP_DB_EHCO is not a setting, and is ignored. Did you mean APP_DB_ECHO?",
        "APP_SECRET_KEE is not a setting, and is ignored. Did you mean APP_SECRET_KEY?",
    ]


def test_a_secret_can_come_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "app_secret_key").write_text(KEY + "\n")
    settings = Settings(_env_file=None, _secrets_dir=tmp_path)
    assert settings.secret_key.get_secret_value() == KEY
    assert KEY not in repr(settings)


def test_without_a_key_each_process_makes_its_own(tmp_path: Path) -> None:
    """(An empty secrets folder: a machine's /run/secrets is left out.)"""
    first, second = [Settings(_env_file=None, _secrets_dir=tmp_path) for _ in range(2)]
    assert first.secret_key != second.secret_key
    assert DEVELOPMENT_SECRET not in {
        s.secret_key.get_secret_value() for s in (first, second)
    }


def test_development_says_in_the_log_that_its_key_is_temporary(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    development = settings.model_copy(update={"environment": "development"})
    with TestClient(create_app(development)):
        pass
    assert any("APP_SECRET_KEY is not set" in r.getMessage() for r in caplog.records)


def test_the_env_file_is_found_from_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert ENV_FILE == PROJECT_ROOT / ".env" and ENV_FILE.is_absolute()
    assert Settings.model_config["env_file"] == ENV_FILE


def test_a_developers_env_file_never_reaches_the_tests_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """conftest builds settings with _env_file=None: a .env is not read."""
    env_file = tmp_path / ".env"
    env_file.write_text("APP_MAX_BODY_BYTES=10\nAPP_ENVIRONMENT=production\n")
    monkeypatch.setitem(Settings.model_config, "env_file", env_file)
    assert Settings().max_body_bytes == 10  # read when asked for
    untouched = Settings(_env_file=None)
    assert (untouched.max_body_bytes, untouched.environment) == (65536, "development")


def test_get_settings_refuses_an_unsafe_production_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From the environment alone: a developer's .env is left out."""
    monkeypatch.setitem(Settings.model_config, "env_file", None)
    monkeypatch.setattr(config_check, "names_in_use", lambda **_: list(os.environ))
    monkeypatch.setenv("APP_ENVIRONMENT", "production")
    monkeypatch.setenv("APP_SECRET_KEY", KEY)
    get_settings.cache_clear()
    try:
        with pytest.raises(UnsafeSettings, match="APP_DATABASE_URL is SQLite"):
            get_settings()
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
def test_the_docs_are_off_in_production_unless_turned_on(path: str) -> None:
    assert TestClient(create_app(production())).get(path).status_code == 404
    shown = create_app(production(docs_enabled=True))
    assert TestClient(shown).get(path).status_code == 200
    hidden = create_app(production(environment="test", docs_enabled=False))
    assert TestClient(hidden).get(path).status_code == 404


def test_the_docs_are_on_outside_production(client: TestClient) -> None:
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200


def test_only_the_configured_origins_may_call_from_a_browser() -> None:
    app = create_app(production(cors_origins=["https://shop.example"]))
    api = TestClient(app)
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = api.options(
        "/api/v1/users", headers={"Origin": "https://shop.example"} | preflight
    )
    assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
    other = api.options(
        "/api/v1/users", headers={"Origin": "https://evil.example"} | preflight
    )
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("api.example", 200),
        ("eu.api.example:8443", 200),
        ("API.Example", 200),  # host names are not case-sensitive
        ("EU.api.EXAMPLE.", 200),
        ("attacker.example", 400),
        ("api.example.attacker.example", 400),
        ("xapi.example", 400),
    ],
)
def test_only_the_configured_host_names_are_answered(host: str, status: int) -> None:
    app = create_app(production(trusted_hosts=["api.example", "*.api.example"]))
    answer = TestClient(app).get(INFO, headers={"Host": host})
    assert answer.status_code == status
    assert status == 200 or answer.headers["content-type"] == "application/problem+json"


def test_the_probes_answer_under_the_address_a_platform_uses() -> None:
    """A Kubernetes probe connects to the pod's IP, and names it as the host."""
    api = TestClient(create_app(production(trusted_hosts=["api.example"])))
    pod = {"Host": "10.1.2.3:8000"}
    assert api.get("/health", headers=pod).status_code == 200
    assert api.get(INFO, headers=pod).status_code == 400
    assert api.get("/healthz", headers=pod).status_code == 400  # not a probe


def test_a_wildcard_among_the_names_answers_every_host() -> None:
    app = create_app(production(trusted_hosts=["api.example", "*"]))
    other = {"Host": "other.example"}
    assert TestClient(app).get(INFO, headers=other).status_code == 200


PROXIES = [ip_network("10.0.0.0/8"), ip_network("192.0.2.7/32")]


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("203.0.113.9", [], "203.0.113.9"),  # no proxy
        ("203.0.113.9", ["198.51.100.1"], "203.0.113.9"),  # untrusted peer lies
        ("10.1.2.3", ["198.51.100.1"], "198.51.100.1"),  # one trusted proxy
        ("10.1.2.3", ["6.6.6.6", "198.51.100.1"], "198.51.100.1"),  # spoofed left
        ("10.1.2.3", ["198.51.100.1", "192.0.2.7"], "198.51.100.1"),  # two proxies
        ("10.1.2.3", ["10.9.9.9"], "10.9.9.9"),  # every hop trusted: the leftmost
        ("10.1.2.3", ["not-an-address"], "10.1.2.3"),  # nonsense is not believed
    ],
)
def test_x_forwarded_for_is_believed_only_through_trusted_proxies(
    peer: str, forwarded_for: list[str], client: str
) -> None:
    assert client_address(peer, forwarded_for, PROXIES) == client


class TestBehindAProxy:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(
            update={"trusted_proxies": PROXIES, "login_attempts_per_window": 2}
        )

    def test_the_login_throttle_sees_each_real_client(self, settings: Settings) -> None:
        """Two clients behind one load balancer: one guessing does not slow the other."""
        with TestClient(create_app(settings), client=("10.0.0.2", 5000)) as api:

            def log_in(client: str) -> int:
                form = {"username": "admin@example.com", "password": "a wrong guess"}
                sent = {"X-Forwarded-For": client}
                return api.post(
                    "/api/v1/auth/token", data=form, headers=sent
                ).status_code

            assert [log_in("198.51.100.1") for _ in range(3)] == [401, 401, 429]
            assert log_in("198.51.100.2") == 401
