"""JSON Web Tokens: what they claim, and every check a presented token must pass."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import uuid4

import jwt

from app.config import Settings

# Fixed here, never taken from the token: its "alg" header is attacker input
# ("alg": "none" and key-confusion attacks both rely on a server trusting it).
ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["iss", "aud", "sub", "sid", "type", "jti", "iat", "exp"]

TokenKind = Literal["access", "refresh"]


class InvalidToken(Exception):
    """Any reason to refuse a token; the client only ever learns "401"."""


@dataclass(frozen=True)
class Claims:
    """What the service relies on, once a token has passed every check."""

    user_id: int
    session_id: int
    token_id: str
    kind: TokenKind


def new_token_id() -> str:
    """A unique, unguessable id for the "jti" claim."""
    return str(uuid4())


def issue(
    settings: Settings,
    *,
    kind: TokenKind,
    user_id: int,
    session_id: int,
    token_id: str,
) -> str:
    """Sign a token: access tokens live minutes, refresh tokens days."""
    now = datetime.now(UTC)
    lifetime = (
        timedelta(minutes=settings.access_token_minutes)
        if kind == "access"
        else timedelta(days=settings.refresh_token_days)
    )
    claims = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": str(user_id),
        "sid": session_id,
        "type": kind,
        "jti": token_id,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, settings.secret_key.get_secret_value(), ALGORITHM)


def read(settings: Settings, token: str, *, expected: TokenKind) -> Claims:
    """Check algorithm, signature, expiry, issuer, audience and type, or refuse."""
    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[ALGORITHM],
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            options={"require": REQUIRED_CLAIMS},
        )
        if claims["type"] != expected:
            raise InvalidToken(
                f"type {claims['type']!r} where {expected!r} was expected"
            )
        return Claims(
            user_id=int(claims["sub"]),
            session_id=int(claims["sid"]),
            token_id=str(claims["jti"]),
            kind=claims["type"],
        )
    except (jwt.InvalidTokenError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from None
