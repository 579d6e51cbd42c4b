"""What the grader and a grading job say to each other, typed, in one place.

The grader sends the zygote each lesson's template once, then one `Job` per
(attendee, lesson), with three open files: the job's result pipe, the pipe on
which its keeper reports how it ended, and its output pipe (and, for a lesson
judged outside, two more: the judge's requests and the job's answers, see
workshop.grading.judge). The job answers
with `Record`s, one JSON line each on its result pipe, every one carrying the
job's nonce: a line without it was written by something else (attendee code
that found the pipe), never by the checks.
"""

from __future__ import annotations

import json
import socket
import struct
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

HEADER = struct.Struct("!I")
# Bound when this module is imported, before any attendee code: a job that
# replaces json.dumps does not change how its records are written (it would
# have to name this module, which is flagged; see workshop.grading.integrity).
_dumps = json.dumps
MAX_MESSAGE = 256 * 2**20
MAX_FDS = 5


def job_key(attendee: int, lesson: int) -> str:
    """The one way to name a job: "007-03" is attendee 7, lesson 03."""
    return f"{attendee:03d}-{lesson:02d}"


@dataclass(frozen=True)
class Job:
    key: str
    lesson: int
    exercises: tuple[str, ...]  # checked in this order
    files: dict[str, str]  # written over the lesson's template, by path
    deleted: tuple[str, ...]  # removed from it
    box: str  # the folder the files go to, as the job sees it
    timeout: float  # seconds for all of it
    nonce: str  # the mark of records the checks wrote
    judged: bool = False  # checks run in the grader (workshop.grading.judge)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Job:
        return cls(
            key=str(data["key"]),
            lesson=int(data["lesson"]),
            exercises=tuple(data["exercises"]),
            files=dict(data["files"]),
            deleted=tuple(data["deleted"]),
            box=str(data["box"]),
            timeout=float(data["timeout"]),
            nonce=str(data["nonce"]),
            judged=data.get("judged") is True,
        )


class Kind(Enum):
    """What a record from a job says."""

    RESULT = "result"  # one exercise's Result, as JSON (never from a judged job)
    IMPORT_ERROR = "import_error"  # app.main did not import
    VIOLATION = "violation"  # the fence refused something
    TAMPER = "tamper"  # the checks' own code was changed under them
    DONE = "done"  # every exercise was checked


@dataclass(frozen=True)
class Record:
    kind: Kind
    data: dict[str, Any] = field(default_factory=dict)

    def line(self, nonce: str) -> bytes:
        body = {"nonce": nonce, "kind": self.kind.value, "data": self.data}
        return (_dumps(body, default=str) + "\n").encode()

    @classmethod
    def parse(cls, line: bytes, nonce: str) -> Record | None:
        """The record on `line`, or None when the line is not one of the job's:
        no nonce, or not the shape the checks write (attendee code that found
        the nonce cannot make the grader trip over a record it made up)."""
        try:
            body = json.loads(line)
            if not isinstance(body, dict) or body.get("nonce") != nonce:
                return None
            kind, data = Kind(body["kind"]), body["data"]
        except (ValueError, TypeError, KeyError, RecursionError):
            return None
        return cls(kind, data) if well_formed(kind, data) else None


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _step(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("ok"), bool)
        and isinstance(value.get("text"), str)
        and isinstance(value.get("got", ""), str)
    )


# The fields of a result that the grader reads, as workshop.checking.Result
# writes them, and what each must hold (a field it does not read is ignored).
_RESULT_FIELDS: dict[str, Any] = {
    "exercise": lambda v: isinstance(v, str),
    "title": lambda v: isinstance(v, str),
    "hint": lambda v: isinstance(v, str),
    "steps": lambda v: isinstance(v, list) and all(map(_step, v)),
    "error": lambda v: v is None or isinstance(v, str),
    "hints": _texts,
    "expected": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    "blocked": lambda v: v is None or isinstance(v, str),
}


def well_formed(kind: Kind, data: object) -> bool:
    """Is `data` the shape the checks write for `kind`? Every field typed."""
    if not isinstance(data, dict):
        return False
    if kind is Kind.RESULT:
        result = data.get("result")
        return (
            set(data) == {"result"}
            and isinstance(result, dict)
            and "exercise" in result
            and all(
                test(result[k]) for k, test in _RESULT_FIELDS.items() if k in result
            )
        )
    if kind is Kind.TAMPER:
        return set(data) == {"what"} and _texts(data["what"])
    if kind is Kind.VIOLATION:
        return set(data) == {"what"} and isinstance(data["what"], str)
    if kind is Kind.IMPORT_ERROR:
        return set(data) == {"text"} and isinstance(data["text"], str)
    return data == {}


@dataclass(frozen=True)
class Ending:
    """How a job's process ended, as its keeper saw it."""

    exit_code: int | None  # negative: killed by that signal; None: unknown
    timed_out: bool = False


class Status(Enum):
    """Why a lesson of a submission is not simply graded."""

    GRADED = "graded"
    TIMED_OUT = "timed out after {} s"
    TOO_MUCH_OUTPUT = "too much output"
    IMPORT_ERROR = "raised on import: {}"
    WROTE_OUTSIDE = "tried to write outside its sandbox"
    TAMPERED = "changed the grader's checks: {}"
    FORGED = "wrote to the grader's result channel"
    NOT_RUN = "the checks could not run: {}"
    SYNTAX_ERROR = "{}"
    NO_EXERCISES = "no exercises found"
    WRITES_OUTSIDE = "writes outside the workshop"
    FAILED = "could not be graded: {}"
    GRADER_FAILED = "the grader failed on this row: {}"

    def text(self, detail: object = "") -> str:
        return self.value.format(detail) if "{}" in self.value else self.value


def send(sock: socket.socket, message: dict[str, Any], fds: Sequence[int] = ()) -> None:
    """One message (its length, then JSON), with open files passed along."""
    body = json.dumps(message).encode()
    socket.send_fds(sock, [HEADER.pack(len(body))], list(fds))
    sock.sendall(body)


def _exactly(sock: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(min(2**20, size - len(data)))  # never past this message
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def receive(sock: socket.socket) -> tuple[dict[str, Any], list[int]] | None:
    """The next message and its open files; None when the other end closed."""
    head, fds, _, _ = socket.recv_fds(sock, HEADER.size, MAX_FDS)
    rest = _exactly(sock, HEADER.size - len(head)) if head else None
    if rest is None:
        return None
    (size,) = HEADER.unpack(head + rest)
    if size > MAX_MESSAGE:
        raise ValueError(f"a message of {size} bytes")
    body = _exactly(sock, size)
    return None if body is None else (json.loads(body), fds)
