"""JSON Web Tokens: what they claim, and every check a presented token must pass."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from uuid import uuid4

import jwt
from pydantic import SecretStr

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


def key_id(key: SecretStr) -> str:
    """The name a token gives its key in the "kid" header (RFC 7515, section
    4.1.4): a fingerprint, which says which key without telling anything of it."""
    return hashlib.sha256(key.get_secret_value().encode()).hexdigest()[:16]


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
    key = settings.secret_key
    return jwt.encode(
        claims, key.get_secret_value(), ALGORITHM, headers={"kid": key_id(key)}
    )


def read(settings: Settings, token: str, *, expected: TokenKind) -> Claims:
    """Check the key, algorithm, signature, expiry, issuer, audience and type, or
    refuse. The key is the one the token names: the current one, or one that a
    rotation retired (settings.previous_secret_keys) while its tokens still live."""
    try:
        held = (settings.secret_key, *settings.previous_secret_keys)
        keys = {key_id(key): key for key in held}
        named = jwt.get_unverified_header(token).get("kid")
        key = keys.get(named) if isinstance(named, str) else None
        if key is None:
            raise InvalidToken("signed with a key this service does not hold")
        claims = jwt.decode(
            token,
            key.get_secret_value(),
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
