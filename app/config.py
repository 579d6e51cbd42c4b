"""Settings read from the environment (prefix APP_) or a .env file, validated once."""

from functools import lru_cache
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="APP_", env_file=".env", extra="ignore"
    )

    name: str = "FastAPI in Production"
    version: str = "0.1.0"
    environment: Literal["development", "test", "production"] = "development"
    api_prefix: str = "/api/v1"


@lru_cache
def get_settings() -> Settings:
    """One Settings per process: the environment is read once, at start-up."""
    return Settings()
