"""The random values a check draws: fresh on every run, repeatable for a test.

Checks choose ids, sizes and orders at random so that no answer passes by
remembering them, on top of the fixed cases each property needs. They draw them
from `draw()`: seeded from the system's randomness, or from the seed in
`WORKSHOP_CHECK_SEED` when a test sets it, so that the test can run a check
under many seeds and prove no verdict rests on one draw.
"""

from __future__ import annotations

import os
import random
import secrets

SEED = "WORKSHOP_CHECK_SEED"


_GENERATORS: dict[str, random.Random] = {}


def draw() -> random.Random:
    """The generator of this run (a check's process), the same on every call: a
    helper that draws an email draws the next one, never the same again."""
    seed = os.environ.get(SEED, "")
    key = seed if seed.isdigit() else ""
    if key not in _GENERATORS:
        _GENERATORS[key] = random.Random(int(key) if key else secrets.randbits(64))
    return _GENERATORS[key]


def hex_token(rng: random.Random, size: int = 3) -> str:
    """`size` random bytes as hex, like secrets.token_hex."""
    return rng.randbytes(size).hex()
