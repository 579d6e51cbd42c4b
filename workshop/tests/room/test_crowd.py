"""A room of forty, at once, against the board as `workshop board` serves it."""

from __future__ import annotations

import json
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from workshop.attendee import room
from workshop.tests.room.conftest import CODE, served_board

ROOM_SIZE = 40


def _grid(url: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{url}/api/grid", headers={"Cookie": f"room_code={CODE}"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def _everyone_tried(grid: dict[str, Any]) -> bool:
    return any(c["tried"] == ROOM_SIZE for c in grid["columns"])


def _events(url: str, seen: list[dict[str, Any]], first: threading.Event) -> None:
    """What the page hears: each grid the stream sends, until everyone's result."""
    request = urllib.request.Request(
        f"{url}/api/events", headers={"Cookie": f"room_code={CODE}"}
    )
    with urllib.request.urlopen(request, timeout=60) as stream:
        for line in stream:
            if line.startswith(b"data: "):
                seen.append(json.loads(line[6:]))
                first.set()
                if _everyone_tried(seen[-1]):
                    return


def test_forty_attendees_join_and_post_at_once(tmp_path: Path) -> None:
    with served_board(tmp_path) as board:
        heard: list[dict[str, Any]] = []
        first = threading.Event()
        listener = threading.Thread(target=_events, args=(board.url, heard, first))
        listener.start()
        assert first.wait(60), "the stream sent nothing"  # the page is open
        start = threading.Barrier(ROOM_SIZE)

        def attendee(number: int) -> tuple[str, int]:
            home = tmp_path / f"attendee-{number}"
            start.wait()  # every join leaves at the same moment
            said = room.join(home, board.url, CODE, f"Attendee {number:02d}")
            seat = room.membership(home)
            assert seat is not None, said
            passed = number % 2 == 0
            body = {"code": CODE, "exercise": "01.1", "passed": passed}
            body |= {"ok": 4 if passed else 1, "total": 4}
            request = urllib.request.Request(
                f"{board.url}/api/results",
                data=json.dumps(body).encode(),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {seat.token}",
                },
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=30) as answer:
                return seat.name, answer.status

        with ThreadPoolExecutor(ROOM_SIZE) as pool:
            answers = list(pool.map(attendee, range(ROOM_SIZE)))
        assert [status for _, status in answers] == [204] * ROOM_SIZE

        grid = _grid(board.url)
        assert grid["attendees"] == ROOM_SIZE
        assert [r["name"] for r in grid["rows"]] == sorted(n for n, _ in answers)
        (column,) = [c for c in grid["columns"] if c["id"] == "01.1"]
        assert (column["passed"], column["tried"]) == (ROOM_SIZE // 2, ROOM_SIZE)

        listener.join(60)
        assert heard and _everyone_tried(heard[-1]), "the page missed the results"
        assert heard[0]["attendees"] == 0  # it was open before they came
        # Forty joins and forty results, each a change: a few updates carry them.
        assert len(heard) < 2 * ROOM_SIZE
