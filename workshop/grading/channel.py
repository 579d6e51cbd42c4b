"""The narrow channel between a judge (the grader) and its sandbox: JSON lines.

A lesson judged outside the sandbox (workshop.grading.judge) talks to the job
over two pipes: requests go in on one, answers come out on the other, one JSON
object per line, each bounded. What comes out is parsed by the judge's own
`json.loads`, so it holds only exact JSON types (dict, list, str, int, float,
bool, None), never an object the attendee's code made; `expect` checks each
field's type before a check reads it.
"""

from __future__ import annotations

import json
import os
import select
import time
from typing import Any

MAX_LINE = 4 * 2**20  # an answer longer than this is not one the observer writes
# Bound before any attendee code runs in the sandbox (the observer writes with it).
_dumps, _write = json.dumps, os.write


class Gone(Exception):
    """The other end closed, answered out of turn, or said something malformed."""


def write_line(fd: int, message: dict[str, Any]) -> None:
    """One message on `fd`, as a line of JSON."""
    data = (_dumps(message, ensure_ascii=True) + "\n").encode()
    while data:
        data = data[_write(fd, data) :]


class Lines:
    """Reads lines of JSON from `fd`, each at most MAX_LINE bytes, by a deadline."""

    def __init__(self, fd: int, deadline: float | None = None) -> None:
        self.fd, self.deadline, self.buffer = fd, deadline, bytearray()

    def read(self) -> dict[str, Any]:
        while b"\n" not in self.buffer:
            if len(self.buffer) > MAX_LINE:
                raise Gone("an answer larger than the channel allows")
            if self.deadline is not None:
                left = self.deadline - time.monotonic()
                if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                    raise Gone("no answer in time")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise Gone("the app's process ended")
            self.buffer += chunk
        line, _, rest = bytes(self.buffer).partition(b"\n")
        self.buffer = bytearray(rest)
        if len(line) > MAX_LINE:
            raise Gone("an answer larger than the channel allows")
        try:
            message = json.loads(line)
        except (ValueError, RecursionError):
            raise Gone("an answer that is not JSON") from None
        if type(message) is not dict:
            raise Gone("an answer that is not a JSON object")
        return message


def expect(answer: dict[str, Any], **types: Any) -> dict[str, Any]:
    """`answer`, once each named field has exactly its type (a tuple: one of
    them); Gone otherwise. `bool` is never taken for `int`."""
    for name, wanted in types.items():
        allowed = wanted if isinstance(wanted, tuple) else (wanted,)
        if name not in answer or type(answer[name]) not in allowed:
            raise Gone(f"an answer without a valid {name!r}")
    return answer
