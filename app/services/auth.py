"""Signing in, refreshing and signing out: sessions, tokens and reuse detection."""

from pydantic import TypeAdapter, ValidationError

from app.config import Settings
from app.errors import Unauthenticated
from app.models import AuthSession, User
from app.repositories.sessions import SessionRepository
from app.repositories.transactions import Transaction
from app.repositories.users import UserRepository
from app.schemas.auth import TokenPair
from app.schemas.users import Email
from app.security import tokens
from app.services.throttle import Throttle

# Sign-in reads the username as sign-up reads an email: the same normalisation.
_account_email = TypeAdapter(Email)


def account_email(username: str) -> str | None:
    """The username as sign-up stores an email (trimmed, lower case, Unicode NFC),
    or None when no email can be it: no account has it, and nothing odd or long
    (a NUL, 5,000 characters) reaches the database or the throttle's keys."""
    try:
        return _account_email.validate_python(username)
    except ValidationError:
        return None


class AuthService:
    """Who the caller is: passwords in, tokens out, and tokens back to users."""

    def __init__(
        self,
        *,
        users: UserRepository,
        sessions: SessionRepository,
        throttle: Throttle,
        settings: Settings,
        transaction: Transaction,
    ) -> None:
        self.users = users
        self.sessions = sessions
        self.throttle = throttle
        self.settings = settings
        self.transaction = transaction

    async def login(self, *, email: str, password: str, client: str) -> TokenPair:
        """Check the password, open a session, and hand out its first tokens."""
        account = account_email(email)
        user = await self.users.get_by_email(account) if account else None
        # An unknown email is checked against a dummy hash: same work, same time.
        valid, new_hash = await self.throttle.check_password(
            email=account or "(not an email)",
            password=password,
            hashed=user.hashed_password if user else None,
            client=client,
        )
        if user is None or not valid:
            raise Unauthenticated("Incorrect email or password.")
        if new_hash is not None:  # the parameters changed since this hash was made
            await self.users.update(user, {"hashed_password": new_hash})
        refresh_id = tokens.new_token_id()
        session = await self.sessions.add(user_id=user.id, refresh_token_id=refresh_id)
        return self._token_pair(session, refresh_id)

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Exchange the newest refresh token of a session for a new pair."""
        claims = self._read(refresh_token, expected="refresh")
        session = await self._active_session(claims.session_id)
        new_id = tokens.new_token_id()
        if not await self.sessions.rotate(session.id, old=claims.token_id, new=new_id):
            # Not the newest token of its family: it was used before, so a copy
            # exists somewhere. We cannot tell the thief from the user, so both
            # lose the session and must sign in again.
            await self.sessions.revoke(session.id)
            await self.transaction.commit()  # the refusal must not roll it back
            raise Unauthenticated("This refresh token was already used.")
        return self._token_pair(session, new_id)

    async def logout(self, refresh_token: str) -> None:
        """End the refresh token's session: its tokens stop working at once.

        Like RFC 7009 revocation, a bad, expired or already revoked token is not an
        error: there is nothing left to end, and the caller learns nothing.
        """
        try:
            claims = tokens.read(self.settings, refresh_token, expected="refresh")
        except tokens.InvalidToken:
            return
        await self.sessions.revoke(claims.session_id)

    async def current_user(self, access_token: str) -> User:
        """The user an access token speaks for, if its session is still open.

        Session and user come in one query: this runs on every signed-in request.
        """
        claims = self._read(access_token, expected="access")
        user = await self.sessions.user_of(claims.session_id)
        if user is None or user.id != claims.user_id:
            raise Unauthenticated("This session has ended; sign in again.")
        return user

    async def _active_session(self, session_id: int) -> AuthSession:
        session = await self.sessions.get(session_id)
        if session is None or session.revoked:
            raise Unauthenticated("This session has ended; sign in again.")
        return session

    def _read(self, token: str, *, expected: tokens.TokenKind) -> tokens.Claims:
        try:
            return tokens.read(self.settings, token, expected=expected)
        except tokens.InvalidToken:
            raise Unauthenticated(f"Invalid or expired {expected} token.") from None

    def _token_pair(self, session: AuthSession, refresh_id: str) -> TokenPair:
        common = {"user_id": session.user_id, "session_id": session.id}
        return TokenPair(
            access_token=tokens.issue(
                self.settings, kind="access", token_id=tokens.new_token_id(), **common
            ),
            refresh_token=tokens.issue(
                self.settings, kind="refresh", token_id=refresh_id, **common
            ),
            expires_in=self.settings.access_token_minutes * 60,
        )
