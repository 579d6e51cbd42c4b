"""Settings read from the environment (prefix APP_), files in /run/secrets or a .env
file, validated once. app/config_check.py says which values production refuses."""

import json
import re
import secrets
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import (
    BeforeValidator,
    Field,
    IPvAnyNetwork,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# The project's root, wherever the process was started (notebooks run in notebooks/):
# .env and the default database are found from here.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = PROJECT_ROOT / ".env"
# Where container platforms mount secrets as files: /run/secrets/app_secret_key
# sets secret_key. Read only when it exists (pydantic-settings warns otherwise).
SECRETS_DIR = Path("/run/secrets")
ENV_PREFIX = "APP_"
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'app.db'}"
# The async drivers the service is built and tested with.
DATABASE_SCHEMES = ("sqlite+aiosqlite", "postgresql+asyncpg")
# What may come before :// (RFC 3986, section 3.1).
URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")

# The default of lessons 04 to 07. It is in this repository, so it is public:
# production refuses it, and nothing uses it by default any more.
DEVELOPMENT_SECRET = "development-only-secret-change-me-0123456789"


def generated_secret() -> SecretStr:
    """A key for this process alone, when none is configured (never in production):
    tokens it signs stop working when the process ends."""
    return SecretStr(secrets.token_urlsafe(32))


def json_list(value: object) -> object:
    """A list setting is JSON wherever it comes from, decoded here, not by
    pydantic-settings: a bad one is a line of the refusal, not a traceback."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ValueError('not JSON: write a list, ["like", "this"]') from None
    return value


def without_port(entry: object) -> object:
    """A proxy is an address or a network: 10.0.0.2:8080 or [fd00::2]:8080 would
    otherwise be refused with a message that does not say why."""
    if isinstance(entry, str) and (entry.startswith("[") or entry.count(":") == 1):
        raise ValueError(
            f"{entry!r} has a port: write the address or network alone "
            "(10.0.0.2, 10.0.0.0/8, fd00::/8)"
        )
    return entry


T = TypeVar("T")
JsonList = Annotated[list[T], NoDecode, BeforeValidator(json_list)]
ProxyNetwork = Annotated[IPvAnyNetwork, BeforeValidator(without_port)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=ENV_FILE,
        secrets_dir=SECRETS_DIR if SECRETS_DIR.is_dir() else None,
        extra="ignore",
        # A rejected value is never printed: it may be a secret.
        hide_input_in_errors=True,
    )

    name: str = "FastAPI in Production"
    version: str = "0.1.0"
    environment: Literal["development", "test", "production"] = "development"
    api_prefix: str = "/api/v1"
    # The largest request body accepted, in bytes: larger ones get 413. The
    # largest valid request of this API is under 50 KB (lesson 06 says why).
    max_body_bytes: int = Field(64 * 1024, ge=1)
    # /docs, /redoc and /openapi.json: None means on, except in production.
    docs_enabled: bool | None = None

    # Who may call from a browser, which Host headers are answered, and which
    # proxies are believed when they say who the client is (X-Forwarded-For).
    # Lists are JSON in the environment: APP_CORS_ORIGINS='["https://a.example"]'.
    cors_origins: JsonList[str] = []
    trusted_hosts: JsonList[str] = ["*"]
    trusted_proxies: JsonList[ProxyNetwork] = []

    # Tokens: HS256 needs a secret of at least 32 bytes. Unset, each process
    # makes its own (production refuses to start without one).
    secret_key: SecretStr = Field(default_factory=generated_secret, min_length=32)
    # Keys a rotation retired: tokens they signed open until they expire, and
    # every new token is signed with secret_key (lesson 08).
    previous_secret_keys: JsonList[Annotated[SecretStr, Field(min_length=32)]] = []
    jwt_issuer: str = "fastapi-in-production"
    jwt_audience: str = "fastapi-in-production-api"
    access_token_minutes: int = Field(15, ge=1, le=60)
    refresh_token_days: int = Field(14, ge=1, le=90)

    # Passwords: argon2id parameters (pwdlib's defaults) and how many hashes may
    # run at once; peak memory is about hash_concurrency * argon2_memory_kib.
    argon2_time_cost: int = Field(3, ge=1)
    argon2_memory_kib: int = Field(65536, ge=8)
    argon2_parallelism: int = Field(4, ge=1)
    hash_concurrency: int = Field(2, ge=1)
    # At most hash_queue_limit more wait for a thread; the next one is refused
    # at once (503 with Retry-After) rather than left waiting for minutes.
    hash_queue_limit: int = Field(8, ge=0)

    # Guessing: after login_free_attempts failures for one email from one address,
    # each try waits twice as long as the last, up to login_max_backoff_seconds.
    # Every address may try login_attempts_per_window sign-ins and
    # sign_ups_per_window sign-ups per window, whatever the emails.
    login_free_attempts: int = Field(5, ge=1)
    login_max_backoff_seconds: int = Field(900, ge=1)
    login_attempts_per_window: int = Field(100, ge=1)
    sign_ups_per_window: int = Field(10, ge=1)
    throttle_window_minutes: int = Field(15, ge=1)

    # Database: SQLite in var/ by default, PostgreSQL with a postgresql+asyncpg://
    # URL. A secret, since a PostgreSQL URL carries a password. The pool settings
    # are for PostgreSQL; SQLite uses db_pool_timeout only, as the time a request
    # waits for its write lock (app/database.py says why).
    database_url: SecretStr = SecretStr(DEFAULT_DATABASE_URL)
    db_pool_size: int = Field(5, ge=1, le=100)
    db_max_overflow: int = Field(10, ge=0, le=100)
    db_pool_timeout: float = Field(30.0, gt=0, le=300, description="Seconds.")
    db_pool_recycle: int = Field(1800, ge=60, description="Seconds.")
    db_echo: bool = False  # log every SQL statement

    # Serving (gunicorn.conf.py): worker processes (default: one per CPU),
    # the seconds a worker may take to finish its requests after SIGTERM, and the
    # seconds /health/ready waits for the database before it answers 503.
    workers: int | None = Field(None, ge=1, le=64)
    graceful_timeout: int = Field(30, ge=1, le=300)
    readiness_timeout: float = Field(2.0, gt=0, le=30)

    # Observability: log lines as JSON (production) or readable text, at this level;
    # Prometheus metrics at /metrics, answered only on metrics_port when it is set
    # (under Gunicorn the master serves them there: gunicorn.conf.py);
    # traces sent nowhere, printed, or to an OpenTelemetry collector (OTLP/HTTP).
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["json", "console"] = "json"
    metrics_enabled: bool = True
    metrics_port: int | None = Field(None, ge=1, le=65535)
    tracing_exporter: Literal["none", "console", "otlp"] = "none"
    otlp_endpoint: str | None = None  # e.g. http://collector:4318/v1/traces
    # The share of requests traced; unset, 0.1 in production and 1 elsewhere.
    tracing_sample_ratio: float | None = Field(None, ge=0, le=1)

    # The first administrator, created at start-up when both are set.
    first_admin_email: str | None = None
    first_admin_password: SecretStr | None = None

    @field_validator("database_url")
    @classmethod
    def database_url_names_an_async_driver(cls, url: SecretStr) -> SecretStr:
        """Only the drivers the service uses and tests: on SQLAlchemy 2.1 a bare
        postgresql:// means psycopg, not installed. Say what to write instead, never
        the URL: it may hold a password, and so may any part of one without ://."""
        scheme, separator, _ = url.get_secret_value().partition("://")
        if not (separator and URL_SCHEME.fullmatch(scheme)):
            problem = "the URL does not start with a scheme and ://"
        elif scheme not in DATABASE_SCHEMES:
            problem = f"the URL starts with {scheme}://"
        else:
            return url
        raise ValueError(
            f"{problem}; use one of: "
            + ", ".join(f"{known}://" for known in DATABASE_SCHEMES)
        )

    @field_validator("log_level", mode="before")
    @classmethod
    def log_level_in_capitals(cls, level: object) -> object:
        return level.upper() if isinstance(level, str) else level

    @model_validator(mode="after")
    def otlp_needs_an_endpoint(self) -> "Settings":
        if self.tracing_exporter == "otlp" and not self.otlp_endpoint:
            raise ValueError(
                "APP_TRACING_EXPORTER=otlp needs APP_OTLP_ENDPOINT, the collector's "
                "traces URL (for example http://collector:4318/v1/traces)"
            )
        return self
