"""Tokens in the API: what the token endpoints answer, and what refresh and
logout expect."""

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.common import InputModel


class TokenPair(BaseModel):
    """The OAuth2 token response (RFC 6749 §5.1), with a refresh token."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str


class RefreshRequest(InputModel):
    """Exchange a refresh token for a new pair; the old one is used up."""

    refresh_token: str = Field(min_length=1, max_length=4096)


class LogoutRequest(InputModel):
    """End the session this refresh token belongs to (like RFC 7009 revocation)."""

    refresh_token: str = Field(min_length=1, max_length=4096)
