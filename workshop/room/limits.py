"""How often one key (an attendee, an address) may do something: a token bucket.

Each key may act `burst` times at once, then once more every 60/`per_minute`
seconds. The buckets kept are bounded: past `keys` of them the one used least
recently is dropped (a dropped key starts full again, which only ever errs
towards letting a real attendee through).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class Buckets:
    def __init__(
        self,
        *,
        burst: int,
        per_minute: float,
        keys: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst, self.rate = float(burst), per_minute / 60
        self.keys, self.clock = keys, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def _level(self, key: str) -> float:
        now = self.clock()
        level, then = self._buckets.pop(key, (self.burst, now))
        level = min(self.burst, level + (now - then) * self.rate)
        self._buckets[key] = (level, now)
        while len(self._buckets) > self.keys:
            self._buckets.popitem(last=False)
        return level

    def wait(self, key: str) -> float:
        """Seconds until `key` may act (0: now), without acting."""
        level = self._level(key)
        return 0.0 if level >= 1 else (1 - level) / self.rate

    def take(self, key: str) -> float:
        """Act if `key` may: 0 when it did, else the seconds it has to wait."""
        waiting = self.wait(key)
        if waiting == 0:
            level, now = self._buckets[key]
            self._buckets[key] = (level - 1, now)
        return waiting
