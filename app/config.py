"""Settings read from the environment (prefix APP_) or a .env file, validated once."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Good enough on a laptop, useless in production: lesson 08 refuses to start a
# production service that still uses it.
DEVELOPMENT_SECRET = "development-only-secret-change-me-0123456789"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="APP_", env_file=".env", extra="ignore"
    )

    name: str = "FastAPI in Production"
    version: str = "0.1.0"
    environment: Literal["development", "test", "production"] = "development"
    api_prefix: str = "/api/v1"

    # Tokens: HS256 needs a secret of at least 32 bytes.
    secret_key: SecretStr = Field(SecretStr(DEVELOPMENT_SECRET), min_length=32)
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

    # The first administrator, created at start-up when both are set.
    first_admin_email: str | None = None
    first_admin_password: SecretStr | None = None


@lru_cache
def get_settings() -> Settings:
    """One Settings per process: the environment is read once, at start-up."""
    return Settings()
