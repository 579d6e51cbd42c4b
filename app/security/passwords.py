"""Password hashing with argon2id, kept off the event loop and capped in memory."""

import anyio
import anyio.to_thread
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.config import Settings


class PasswordHasher:
    """argon2id through pwdlib, run in worker threads, a bounded number at a time.

    Each argon2 hash holds `argon2_memory_kib` of memory while it runs; the limiter
    caps the total at `hash_concurrency` times that, however many logins arrive.
    """

    def __init__(self, settings: Settings) -> None:
        self.context = PasswordHash(
            (
                Argon2Hasher(
                    time_cost=settings.argon2_time_cost,
                    memory_cost=settings.argon2_memory_kib,
                    parallelism=settings.argon2_parallelism,
                ),
            )
        )
        self.limiter = anyio.CapacityLimiter(settings.hash_concurrency)
        # Verified when the user does not exist, so that costs what a wrong
        # password costs: response times do not tell which emails are registered.
        self.dummy_hash = self.context.hash("not the password of anyone")

    async def hash(self, password: str) -> str:
        return await anyio.to_thread.run_sync(
            self.context.hash, password, limiter=self.limiter
        )

    async def verify(
        self, password: str, hashed: str | None
    ) -> tuple[bool, str | None]:
        """(matches, new hash or None); a new hash when the parameters changed."""
        if hashed is None:
            await anyio.to_thread.run_sync(
                self.context.verify, password, self.dummy_hash, limiter=self.limiter
            )
            return False, None
        return await anyio.to_thread.run_sync(
            self.context.verify_and_update, password, hashed, limiter=self.limiter
        )
