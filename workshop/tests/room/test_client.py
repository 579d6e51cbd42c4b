"""The attendee's side: joining, leaving, and checks that never wait for the board.

A check sends its result in the background. To prove it never waits, the board
here is a socket that takes the request and holds it, unanswered, until the test
lets it go: the check has returned by then, every time (no clock involved).
"""

from __future__ import annotations

import json
import socket
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from workshop import course
from workshop.attendee import feedback, lab, room
from workshop.checking import Result, Step
from workshop.cli import main
from workshop.tests.room.conftest import CODE, served_board
from workshop.tests.test_course import checkout

KEYS = {"code", "exercise", "passed", "ok", "total", "step", "step_text"}


@dataclass
class SilentBoard:
    """Accepts a connection, reads one request, and answers nothing until released."""

    url: str
    requests: list[bytes] = field(default_factory=list)
    received: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    answered: bool = False

    def body(self) -> dict:
        return json.loads(self.requests[0].split(b"\r\n\r\n", 1)[1])


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


@contextmanager
def silent_board() -> Iterator[SilentBoard]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    board = SilentBoard(f"http://127.0.0.1:{server.getsockname()[1]}")

    def hold() -> None:
        conn, _ = server.accept()
        with conn:
            board.requests.append(_read_request(conn))
            board.received.set()
            board.release.wait(60)
            board.answered = True  # closing without a word: the sender gives up

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    try:
        yield board
    finally:
        board.release.set()
        holder.join(10)
        server.close()


def joined(root: Path, url: str) -> None:
    (root / ".workshop").mkdir(parents=True, exist_ok=True)
    seat = {"url": url, "code": CODE, "name": "Ada", "token": "t0k3n"}
    (root / room.MEMBERSHIP).write_text(json.dumps(seat))


def failed_result(exercise: str = "01.2") -> Result:
    steps = [Step(True, "GET /info answers (200)"), Step(False, "a name", "{}")]
    return Result(exercise, "Add /info", "a nudge", steps, hints=["a", "b"], expected=3)


def test_what_is_sent_is_the_exercise_the_counts_and_the_failing_step_only() -> None:
    body = room.payload(failed_result(), CODE)
    assert body == {
        "code": CODE,
        "exercise": "01.2",
        "passed": False,
        "ok": 1,
        "total": 3,
        "step": 2,
        "step_text": "a name",  # the check's words; never what came back ("{}")
    }


def test_a_check_that_stopped_sends_the_kind_of_error_never_its_message() -> None:
    stopped = failed_result()
    stopped.steps = stopped.steps[:1]
    stopped.error = "NameError: name 'my_secret_helper' is not defined"
    assert room.first_failing(stopped) == (2, "stopped: NameError")
    stopped.error = "The check could not run: app/x.py line 3"
    assert room.first_failing(stopped) == (2, "stopped before its end")
    passed = room.payload(Result("01.1", "t", "h", [Step(True, "ok")]), CODE)
    assert "step" not in passed and passed["passed"] is True


def test_a_check_in_a_notebook_returns_while_the_board_is_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(lab, "root", lambda: tmp_path)
    monkeypatch.setattr(lab.feedback, "check_in_child", lambda r, e: failed_result(e))
    with silent_board() as board:
        joined(tmp_path, board.url)
        lab.check("01.2")  # returns: the board has answered nothing yet
        assert not board.answered
        assert "Exercise 01.2: Add /info" in capsys.readouterr().out
        assert board.received.wait(30), "the result never reached the board"
        sender = next(t for t in threading.enumerate() if t.name == "room-board")
        assert sender.daemon and sender.is_alive()  # still waiting for an answer
        assert set(board.body()) == KEYS and board.body()["exercise"] == "01.2"
        assert b"Authorization: Bearer t0k3n" in board.requests[0]
        board.release.set()
        sender.join(30)
        assert not sender.is_alive()


def test_workshop_check_exits_while_the_board_is_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The terminal command hands its result to a detached process and exits."""
    (tmp_path / "solutions").mkdir()
    (tmp_path / "pyproject.toml").touch()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(feedback, "check_in_child", lambda r, e: failed_result(e))
    with silent_board() as board:
        joined(tmp_path, board.url)
        assert main(["check", "01.2"]) == 1  # the command is over
        assert not board.answered
        assert "Exercise 01.2: Add /info" in capsys.readouterr().out
        assert board.received.wait(30), "the detached sender never posted"
        assert board.body() == room.payload(failed_result(), CODE)
        sender = room.SENDERS[-1]
        assert sender.poll() is None  # still waiting for an answer
        board.release.set()
        assert sender.wait(30) == 0


def test_a_check_with_no_room_or_a_closed_board_sends_nothing_and_says_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(lab, "root", lambda: tmp_path)
    monkeypatch.setattr(lab.feedback, "check_in_child", lambda r, e: failed_result(e))
    assert room.send(tmp_path, failed_result()) is None  # not in a room
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"  # nothing listens
    joined(tmp_path, url)
    senders: list[threading.Thread | None] = []
    send = room.send
    monkeypatch.setattr(room, "send", lambda *a: senders.append(send(*a)))
    lab.check("01.2")
    [sender] = senders  # a thread was started, and may already be over
    assert sender is not None
    sender.join(30)
    assert not sender.is_alive()
    out = capsys.readouterr().out
    assert out.startswith("Exercise 01.2") and "board" not in out
    unknown = Result("9.9", error="There is no exercise 9.9")
    assert room.send(tmp_path, unknown) is None  # not an exercise: nothing to tell


def test_join_then_leave_against_a_real_board(tmp_path: Path) -> None:
    me = checkout(tmp_path / "me")
    course.save(me, frozenset({1}))  # the attendee's own: a board without one keeps it
    with served_board(tmp_path) as board:
        refused = room.join(me, board.url, "WRONG1", "Ada")
        assert refused == "The board refused: That is not this room's code."
        assert room.membership(me) is None
        said = room.join(me, board.url.removeprefix("http://"), CODE.lower(), "Ada")
        assert said.startswith(f"You joined the room at {board.url} as Ada.")
        seat = room.membership(me)
        assert seat is not None and seat.url == board.url
        assert stat.S_IMODE((me / room.MEMBERSHIP).stat().st_mode) == 0o600
        again = room.join(me, board.url, CODE, "Ada Lovelace")  # the same seat
        assert "as Ada Lovelace" in again
        assert room.membership(me).token == seat.token
        other = room.join(tmp_path / "other", board.url, CODE, "ada lovelace")
        assert other.startswith("The board refused: Someone in the room is already")
        assert "left the room" in room.leave(me)
        assert room.membership(me) is None
        assert room.leave(me) == "You are not in a room."
    assert "course" not in said + again and course.load(me) == {1}


def test_joining_a_board_with_a_course_keeps_it_for_the_attendees_tools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`workshop course` and notebook 00's show_course() then name the room's
    lessons, as if the attendee had run `workshop course 02-04`."""
    me = checkout(tmp_path / "me")
    with served_board(tmp_path, "--course", "02-04") as board:
        said = room.join(me, board.url, CODE, "Ada")
    assert said.endswith(
        "The room's course is lessons 02-04: show_course() lists them."
    )
    assert course.load(me) == {2, 3, 4}
    monkeypatch.chdir(me)
    assert main(["course"]) == 0
    assert capsys.readouterr().out.startswith("The course: lessons 02-04.")
    monkeypatch.setattr(lab, "root", lambda: me)
    lab.show_course()
    shown = capsys.readouterr().out.splitlines()
    assert shown[0].startswith("Your course: lessons 02-04, about ")
    assert [line.split()[0] for line in shown[1:]] == ["02", "03", "04"]


@pytest.mark.parametrize(
    ("sent", "says"),
    [
        ([2, 42], " The room's course was not kept: there is no lesson 42"),
        ("02-04", ""),  # not a list of lessons: as if the board had none
        ([], ""),
    ],
)
def test_a_course_this_checkout_cannot_follow_is_not_kept(
    tmp_path: Path, sent: object, says: str
) -> None:
    me = checkout(tmp_path / "me")
    said = room._keep_course(me, sent)
    assert said.startswith(says) and bool(said) == bool(says)
    assert course.load(me) is None


def test_an_unreachable_board_is_explained(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    said = room.join(tmp_path, url, CODE, "Ada")
    assert said.startswith(f"The board at {url} did not answer (")
    assert "the room's network" in said
