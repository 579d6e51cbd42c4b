"""Joining the room's board: once joined, each check also tells the board how it went.

`join` asks the board for a seat (the room's code and a display name) and keeps
what it answers in `.workshop/room.json`; `leave` forgets it. After that, `send`
posts each check's result: the exercise id, whether it passed, how many of its
steps passed and how many it has, and the check's own words for the first step
that did not pass. Never code, files or output; the board notes the time it
arrives. Sending happens in the background with a short time limit
(a daemon thread in a notebook, a detached process for `workshop check`), so a
board that is down, slow or gone never delays or breaks a check.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the sending process imports nothing of the checks
    from workshop.checking import Result

MEMBERSHIP = Path(".workshop") / "room.json"
SEND_TIMEOUT = 3.0  # seconds for one result to reach the board
JOIN_TIMEOUT = 10.0
HANDIN_TIMEOUT = 60.0  # a zip of notebooks, over a room's Wi-Fi
STEP_TEXT = 120  # characters of a failing step's words sent to the board
CHILD = "workshop.attendee.room"  # this module, run to send detached
# Senders started by this process, kept until they end: a process object dropped
# while its process runs is garbage Python warns about.
SENDERS: list[subprocess.Popen] = []


@dataclass(frozen=True)
class Membership:
    url: str
    code: str
    name: str
    token: str


def _base(url: str) -> str:
    url = url.strip().rstrip("/")
    return url if "://" in url else f"http://{url}"


def membership(root: Path) -> Membership | None:
    """The room this checkout joined, or None."""
    try:
        return Membership(**json.loads((root / MEMBERSHIP).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _post(url: str, body: dict[str, Any], timeout: float, token: str = "") -> Any:
    """POST JSON; the decoded answer (None when empty). Raises urllib's errors."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        data = answer.read()
    return json.loads(data) if data else None


def _refusal(error: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(error.read())["detail"])
    except (ValueError, KeyError, TypeError, OSError):
        return f"it answered {error.code}"


def join(root: Path, url: str, code: str, name: str) -> str:
    """Join the room at `url`; says what happened, in plain words."""
    base, before = _base(url), membership(root)
    body = {"code": code, "name": name}
    if before is not None and before.url == base:
        body["token"] = before.token  # the same seat, maybe a new name
    try:
        seat = _post(f"{base}/api/join", body, JOIN_TIMEOUT)
    except urllib.error.HTTPError as error:
        return f"The board refused: {_refusal(error)}"
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return (
            f"The board at {base} did not answer ({reason}): check the address, "
            "and that you are on the room's network."
        )
    joined = Membership(base, code, seat["name"], seat["token"])
    path = root / MEMBERSHIP
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(joined)), encoding="utf-8")
    path.chmod(0o600)  # the token is yours
    return (
        f"You joined the room at {base} as {joined.name}. From now on each check "
        "also sends the board its result (the exercise, passed or not, how many "
        "steps passed, which step failed first), never your code. leave() stops it."
        + _keep_course(root, seat.get("course"))
    )


def _keep_course(root: Path, lessons: Any) -> str:
    """Keep the course the board was started with, as `workshop course` would,
    so notebook 00 and `workshop course` show the room's lessons; a board with
    no course leaves the attendee's own choice alone."""
    from workshop import course
    from workshop.project import WorkshopError

    if not isinstance(lessons, list) or not lessons:
        return ""
    try:
        chosen = course.parse(",".join(map(str, lessons)), course.available(root))
    except WorkshopError as error:
        return f" The room's course was not kept: {error}."
    course.save(root, chosen)
    return f" The room's course is lessons {course.label(chosen)}: show_course() lists them."


def hand_in(root: Path, archive: Path) -> str | None:
    """Send the zip `workshop submit` wrote to the room's board, if this checkout
    joined one; what happened, in plain words (None: not in a room)."""
    seat = membership(root)
    if seat is None:
        return None
    request = urllib.request.Request(
        f"{seat.url}/api/handins?code={urllib.parse.quote(seat.code)}",
        data=archive.read_bytes(),
        headers={
            "Content-Type": "application/zip",
            "Authorization": f"Bearer {seat.token}",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=HANDIN_TIMEOUT) as answer:
            file = json.loads(answer.read())["file"]
    except urllib.error.HTTPError as error:
        return f"The board refused the hand-in: {_refusal(error)}"
    except (OSError, ValueError, KeyError, TypeError) as error:
        reason = getattr(error, "reason", error)
        return f"The board at {seat.url} did not take it ({reason}): hand the file in another way."
    return f"Handed in to the board at {seat.url} as {file}: your instructor has it."


def leave(root: Path) -> str:
    path = root / MEMBERSHIP
    if not path.exists():
        return "You are not in a room."
    path.unlink()
    return "You left the room: checks no longer send their results."


def payload(result: Result, code: str) -> dict[str, Any]:
    """What the board is told about one check: nothing else."""
    body: dict[str, Any] = {
        "code": code,
        "exercise": result.exercise,
        "passed": result.passed,
        "ok": sum(step.ok for step in result.steps),
        "total": result.total,
    }
    if not result.passed:
        body["step"], body["step_text"] = first_failing(result)
    return body


def first_failing(result: Result) -> tuple[int, str]:
    """The first step that did not pass, numbered from 1, in the check's own
    words; a check that stopped is named by its error's kind only (its message
    may quote the attendee's code)."""
    for number, step in enumerate(result.steps, 1):
        if not step.ok:
            return number, step.text[:STEP_TEXT]
    kind = (result.error or result.blocked or "").split(":", 1)[0].strip()
    words = f"stopped: {kind}" if kind.isidentifier() else "stopped before its end"
    return min(len(result.steps) + 1, 100), words


def post_results(seat: Membership, bodies: list[dict[str, Any]]) -> None:
    """Post each result; any failure is dropped (the check has answered already)."""
    for body in bodies:
        try:
            _post(f"{seat.url}/api/results", body, SEND_TIMEOUT, seat.token)
        except (OSError, ValueError):
            continue


def _bodies(root: Path, results: list[Result]) -> tuple[Membership | None, list]:
    seat = membership(root)
    if seat is None:
        return None, []
    # A result with no title is not an exercise (a mistyped id): nothing to tell.
    return seat, [payload(r, seat.code) for r in results if r.title]


def send(root: Path, result: Result) -> threading.Thread | None:
    """In a notebook: post in a daemon thread and return at once."""
    seat, bodies = _bodies(root, [result])
    if seat is None or not bodies:
        return None
    thread = threading.Thread(
        target=post_results, args=(seat, bodies), name="room-board", daemon=True
    )
    thread.start()
    return thread


def send_detached(root: Path, results: list[Result]) -> subprocess.Popen | None:
    """From a terminal command that is about to exit: post from a process of its
    own, which outlives the command and stops by itself after the time limit."""
    seat, bodies = _bodies(root, results)
    if seat is None or not bodies:
        return None
    process = subprocess.Popen(
        [sys.executable, "-m", CHILD],
        cwd=root,
        stdin=subprocess.PIPE,  # not in its arguments, where `ps` shows the token
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert process.stdin is not None
    with process.stdin:  # a few hundred bytes: the pipe takes them without waiting
        process.stdin.write(json.dumps([asdict(seat), bodies]).encode())
    SENDERS[:] = [p for p in SENDERS if p.poll() is None] + [process]
    return process


if __name__ == "__main__":
    seat_fields, bodies = json.loads(sys.stdin.read())
    post_results(Membership(**seat_fields), bodies)
