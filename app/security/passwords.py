"""Password hashing with argon2id, kept off the event loop and capped in memory."""

import asyncio
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from typing import TypeVar

import anyio
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.config import Settings
from app.errors import Overloaded

T = TypeVar("T")
# How much less CPU a hashing thread claims than the event loop's: at nice 19, the
# lowest, the kernel weighs it 15 to the loop's 1,024 when both want a core.
HASH_NICENESS = 19
# What a refused hash tells its client (Retry-After, in seconds): a full queue
# is a few hashes of work, gone in about that long.
BUSY_RETRY_AFTER = 1


def lower_priority() -> None:
    """Let the event loop have the CPU first. On Linux the nice value belongs to
    the thread, and argon2's own lane threads inherit it; elsewhere os.nice
    would slow the whole process, so it is left alone. A system that refuses
    (a sandbox may) only loses the priority: logins still work."""
    if sys.platform == "linux":
        with suppress(OSError):
            os.nice(HASH_NICENESS)


class PasswordHasher:
    """argon2id through pwdlib, in threads of its own, a bounded number at a time.

    Each argon2 hash holds `argon2_memory_kib` of memory while it runs; the limiter
    caps the total at `hash_concurrency` times that, however many logins arrive.
    The threads run at a lower priority, so cheap requests keep their latency
    while hashes use the spare CPU.
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
        # Hashes running or waiting for the limiter, and how many may: a login
        # beyond that is refused at once instead of waiting behind all the others.
        self.pending = 0
        self.capacity = settings.hash_concurrency + settings.hash_queue_limit
        self.threads = ThreadPoolExecutor(
            settings.hash_concurrency, "argon2", initializer=lower_priority
        )
        # Verified when the user does not exist, so that costs what a wrong
        # password costs: response times do not tell which emails are registered.
        self.dummy_hash = self.context.hash("not the password of anyone")

    def close(self) -> None:
        """The threads end once their hash is done: an app that stops (a test's,
        a worker's) leaves none behind, and a hash asked for later is refused."""
        self.threads.shutdown(wait=False, cancel_futures=True)

    async def run(self, function: Callable[..., T], *args: str) -> T:
        """`function(*args)` in a hashing thread, once the limiter lets it in;
        Overloaded when `capacity` hashes already run or wait."""
        if self.pending >= self.capacity:
            raise Overloaded(
                "Too many passwords are being checked; try again in a moment.",
                retry_after=BUSY_RETRY_AFTER,
            )
        self.pending += 1
        try:
            async with self.limiter:
                return await asyncio.wrap_future(self.threads.submit(function, *args))
        finally:
            self.pending -= 1

    async def hash(self, password: str) -> str:
        return await self.run(self.context.hash, password)

    async def verify(
        self, password: str, hashed: str | None
    ) -> tuple[bool, str | None]:
        """(matches, new hash or None); a new hash when the parameters changed."""
        if hashed is None:
            await self.run(self.context.verify, password, self.dummy_hash)
            return False, None
        return await self.run(self.context.verify_and_update, password, hashed)
