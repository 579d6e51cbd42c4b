"""Slowing down password guessing and mass sign-ups, without locking anyone out."""

from datetime import datetime, timedelta
from math import ceil

from app.clock import Clock
from app.config import Settings
from app.errors import TooManyAttempts
from app.repositories.attempts import AttemptRecord, AttemptRepository
from app.repositories.transactions import Transaction
from app.security.passwords import PasswordHasher


class Throttle:
    """Password checks and sign-ups, at a pace that makes guessing pointless.

    Failed passwords are counted per (email, client address). After
    `login_free_attempts` of them, each new try waits twice as long as the one
    before (1 s, 2 s, 4 s... up to `login_max_backoff_seconds`). Only that address
    waits: failing on purpose from elsewhere cannot lock the owner out. Each
    address may also check `login_attempts_per_window` passwords and make
    `sign_ups_per_window` sign-ups per window, whatever the emails, so one client
    cannot try a few passwords on every account instead.

    The counters are written in the request's transaction, and committed at once:
    a refused sign-in ends in a 401, which rolls back what is not committed.
    """

    def __init__(
        self,
        *,
        attempts: AttemptRepository,
        passwords: PasswordHasher,
        settings: Settings,
        clock: Clock,
        transaction: Transaction,
    ) -> None:
        self.attempts = attempts
        self.passwords = passwords
        self.settings = settings
        self.clock = clock
        self.transaction = transaction
        self.window = timedelta(minutes=settings.throttle_window_minutes)

    async def check_password(
        self, *, email: str, password: str, hashed: str | None, client: str
    ) -> tuple[bool, str | None]:
        """Verify `password` against `hashed` (None: no such account) if the pace
        allows; the answer is PasswordHasher.verify's."""
        now = self.clock()
        account, address = f"password:{email}:{client}", f"address:{client}"
        before = await self.attempts.get(account)
        self._refuse_sign_in(self._pace(before, await self.attempts.get(address), now))
        # Count, then hash: requests sent at once all pass the check above, so
        # each is counted (hit() is atomic) and one the count puts past the pace
        # is refused before its hash. A success clears the account's counter.
        counted = await self.attempts.hit(account, now=now, window=self.window)
        at_address = await self.attempts.hit(address, now=now, window=self.window)
        await self.transaction.commit()  # a refusal must not roll the count back
        allowed = max(self.settings.login_free_attempts, self._count(before, now) + 1)
        if counted.count > allowed:
            self._refuse_sign_in(max(1, self._backoff(counted, now)))
        self._refuse_sign_in(self._pace(None, at_address, now, counted=True))
        valid, new_hash = await self.passwords.verify(password, hashed)
        if valid:
            await self.attempts.clear(account)
            await self.transaction.commit()
        return valid, new_hash

    async def count_sign_up(self, *, client: str) -> None:
        """One more sign-up from `client`, or TooManyAttempts past the cap."""
        now, key = self.clock(), f"sign-up:{client}"
        # Counted first (atomic), then compared: of sign-ups sent at once, only
        # those within the cap go on to hash a password.
        record = await self.attempts.hit(key, now=now, window=self.window)
        await self.transaction.commit()  # a taken email (409) counts too
        wait = self._window_left(record, self.settings.sign_ups_per_window + 1, now)
        if wait > 0:
            raise TooManyAttempts(
                "Too many sign-ups from this address; try again later.",
                retry_after=ceil(wait),
            )

    def _pace(
        self,
        account: AttemptRecord | None,
        address: AttemptRecord | None,
        now: datetime,
        *,
        counted: bool = False,
    ) -> float:
        """Seconds to wait before checking a password: the account's back-off and
        the address's window (`counted`: `address` includes this attempt)."""
        limit = self.settings.login_attempts_per_window + (1 if counted else 0)
        return max(self._backoff(account, now), self._window_left(address, limit, now))

    def _refuse_sign_in(self, wait: float) -> None:
        if wait > 0:
            raise TooManyAttempts(
                "Too many sign-in attempts; try again later.", retry_after=ceil(wait)
            )

    def _count(self, record: AttemptRecord | None, now: datetime) -> int:
        """The attempts `record` holds in the current window."""
        if record is None or now - record.first >= self.window:
            return 0
        return record.count

    def _backoff(self, record: AttemptRecord | None, now: datetime) -> float:
        """Seconds to wait before the next password for one email, one address."""
        if record is None or now - record.first >= self.window:
            return 0
        extra = record.count - self.settings.login_free_attempts
        if extra < 0:
            return 0
        delay = min(2**extra, self.settings.login_max_backoff_seconds)
        return (record.last + timedelta(seconds=delay) - now).total_seconds()

    def _window_left(
        self, record: AttemptRecord | None, limit: int, now: datetime
    ) -> float:
        """Seconds until `record`'s window ends, when it already holds `limit`."""
        if record is None or record.count < limit:
            return 0
        return (record.first + self.window - now).total_seconds()
