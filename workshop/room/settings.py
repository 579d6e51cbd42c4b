"""The board's settings: `workshop board`'s flags, else WORKSHOP_BOARD_* variables."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Easy to read aloud and to type: no 0/O, no 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def handins_folder(settings: BoardSettings) -> Path:
    return settings.database.parent / "handins"


def normal_code(code: str) -> str:
    """Codes are compared without case or surrounding spaces."""
    return code.strip().upper()


class BoardSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WORKSHOP_BOARD_", extra="ignore", hide_input_in_errors=True
    )

    # Where it listens: 127.0.0.1 is this machine only; 0.0.0.0 (or the Wi-Fi
    # address) lets the room reach it.
    host: str = "127.0.0.1"
    port: int = Field(8765, ge=1, le=65535)
    # The address attendees type; by default this machine's address on the network.
    public_url: str | None = None
    # The room's join code; by default the one the database keeps from an earlier
    # start, else a new one.
    code: str | None = Field(None, pattern=r"^\s*[A-Za-z0-9]{4,32}\s*$")
    # One file per room: a restart keeps who joined and what they did. Hand-ins
    # (`submit` while joined) land in a folder beside it, one NAME.zip each.
    database: Path = Path(".workshop/board.sqlite3")
    max_handin_mb: int = Field(20, ge=1, le=200)

    # Stuck: failing the exercise one is on for longer than this, and still
    # trying (checked more than once, the last time within stuck_recent_seconds).
    stuck_after_seconds: float = Field(300, gt=0)
    stuck_recent_seconds: float = Field(600, gt=0)
    # The page is sent again at least this often, so "failing for" stays true.
    refresh_seconds: float = Field(10, gt=0, le=60)

    # Bounds: how many may join, how often one attendee may post (a burst, then
    # a steady rate), how many wrong codes one address may try.
    max_attendees: int = Field(200, ge=1, le=5000)
    results_burst: int = Field(20, ge=1)
    results_per_minute: float = Field(30, gt=0)
    wrong_codes_burst: int = Field(10, ge=1)
    wrong_codes_per_minute: float = Field(6, gt=0)
