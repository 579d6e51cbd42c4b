"""The board's rules, through its HTTP API: who may join, what is kept, what the
grid says."""

from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from workshop.room.app import create_app
from workshop.room.settings import BoardSettings
from workshop.tests.room.conftest import CODE, EXERCISES, grid, post, seat


def test_an_attendee_joins_and_their_results_fill_the_grid(board: TestClient) -> None:
    ada, bo = seat(board, "  Ada   Lovelace "), seat(board, "Bo")
    again = board.post("/api/join", json={"code": CODE, "name": "Bo", "token": bo})
    assert again.json() == {"name": "Bo", "token": bo, "course": None}  # every lesson
    assert post(board, ada, exercise="01.1", passed=True, ok=3).status_code == 204
    assert post(board, bo, exercise="01.2", ok=1, total=4).status_code == 204
    shown = grid(board)
    assert shown["attendees"] == 2 and shown["code"] == CODE
    assert [c["id"] for c in shown["columns"]] == ["01.1", "01.2"]  # lesson 01 only
    rows = {r["name"]: r["cells"] for r in shown["rows"]}
    assert rows["Ada Lovelace"]["01.1"]["passed"] is True
    assert rows["Bo"]["01.2"] | {"failing_for": 0} == {
        "passed": False,
        "ok": 1,
        "total": 4,
        "tries": 1,
        "failing_for": 0,
        "stuck": False,
        "step": None,
    }
    rates = {c["id"]: (c["passed"], c["tried"]) for c in shown["columns"]}
    assert rates == {"01.1": (1, 1), "01.2": (0, 1)}


def test_failing_counts_from_the_first_failure_and_turns_stuck(
    board: TestClient, settings: BoardSettings
) -> None:
    now = [1000.0]
    board.app.state.room.clock = lambda: now[0]
    ada = seat(board)
    post(board, ada, exercise="01.2")
    now[0] += 60
    post(board, ada, exercise="01.2", ok=2)  # still failing: the clock runs on
    now[0] += settings.stuck_after_seconds - 30
    cell = grid(board)["rows"][0]["cells"]["01.2"]
    assert cell["failing_for"] == settings.stuck_after_seconds + 30
    assert cell["stuck"] and cell["tries"] == 2 and cell["ok"] == 2
    assert grid(board)["stuck"] == [
        {"name": "Ada", "exercise": "01.2", "failing_for": cell["failing_for"]}
    ]
    post(board, ada, exercise="01.2", passed=True, ok=3)
    cell = grid(board)["rows"][0]["cells"]["01.2"]
    assert cell["passed"] and cell["failing_for"] is None and not cell["stuck"]
    post(board, ada, exercise="01.2")  # broken again: a new clock
    assert grid(board)["rows"][0]["cells"]["01.2"]["failing_for"] == 0


def test_a_bad_code_is_refused_and_stores_nothing(board: TestClient) -> None:
    refused = board.post("/api/join", json={"code": "WRONG1", "name": "Eve"})
    assert refused.status_code == 403
    assert refused.json() == {"detail": "That is not this room's code."}
    ada = seat(board)
    assert post(board, ada, code="WRONG1").status_code == 403
    assert post(board, "a-made-up-token").status_code == 403
    shown = grid(board)
    assert [r["name"] for r in shown["rows"]] == ["Ada"]
    assert shown["rows"][0]["cells"] == {}
    assert seat(board, "Cy", code=" room42 ")  # case and spaces do not matter


def test_the_page_and_its_data_need_the_code(board: TestClient) -> None:
    assert board.get("/api/grid").status_code == 403
    assert board.get("/api/events").status_code == 403
    assert board.get("/export.csv").status_code == 403
    assert "The room's code" in board.get("/").text  # the form, no data
    wrong = board.get("/?code=NOTIT", follow_redirects=False)
    assert wrong.status_code == 403 and "The room's code" in wrong.text
    right = board.get(f"/?code={CODE.lower()}", follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/"
    assert "httponly" in right.headers["set-cookie"].lower()
    assert 'id="grid"' in board.get("/").text  # the cookie opens the board
    assert board.get("/api/grid").status_code == 200


def test_guessing_codes_is_slowed_down_per_address(
    board: TestClient, settings: BoardSettings
) -> None:
    for _ in range(settings.wrong_codes_burst):
        guess = board.post("/api/join", json={"code": "GUESS1", "name": "Eve"})
        assert guess.status_code == 403
    blocked = board.post("/api/join", json={"code": CODE, "name": "Eve"})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1
    assert "Too many wrong codes" in blocked.json()["detail"]


def test_a_flood_from_one_attendee_is_cut_to_the_burst(
    board: TestClient, settings: BoardSettings
) -> None:
    ada, bo = seat(board, "Ada"), seat(board, "Bo")
    answers = [post(board, ada, ok=i % 3).status_code for i in range(100)]
    accepted = answers.count(204)
    assert settings.results_burst <= accepted <= settings.results_burst + 2
    assert answers.count(429) == 100 - accepted
    assert post(board, bo).status_code == 204  # the others are not held back
    cell = {r["name"]: r["cells"] for r in grid(board)["rows"]}["Ada"]
    assert list(cell) == ["01.1"] and cell["01.1"]["tries"] == accepted  # one row


def test_what_is_stored_is_bounded(board: TestClient, settings: BoardSettings) -> None:
    ada = seat(board)
    assert post(board, ada, exercise="99.9").status_code == 422  # not an exercise
    assert post(board, ada, exercise="01.1; DROP").status_code == 422
    assert post(board, ada, ok=5, total=3).status_code == 422
    assert post(board, ada, source="print('my code')").status_code == 422
    assert post(board, ada, ok=10**9, total=10**9).status_code == 422
    big = board.post(
        "/api/join",
        content=b'{"code": "ROOM42", "name": "' + b"x" * 5000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert big.status_code == 413
    for name in ("", "   ", "x" * 41, "Eve\u202e", "Eve\x00", "Eve\u200b"):
        answer = board.post("/api/join", json={"code": CODE, "name": name})
        assert answer.status_code == 422, repr(name)
    assert grid(board)["attendees"] == 1
    seat(board, "Eve\n\tBo")  # white space of any kind is one space
    assert [r["name"] for r in grid(board)["rows"]] == ["Ada", "Eve Bo"]


def test_the_room_has_a_size(settings: BoardSettings) -> None:
    small = settings.model_copy(update={"max_attendees": 2})
    with TestClient(create_app(small, exercises=EXERCISES)) as board:
        seat(board, "Ada"), seat(board, "Bo")
        full = board.post("/api/join", json={"code": CODE, "name": "Cy"})
        assert full.status_code == 409 and "full" in full.json()["detail"]


def test_a_name_is_one_person_and_joining_again_keeps_the_seat(
    board: TestClient,
) -> None:
    ada = seat(board, "Ada")
    taken = board.post("/api/join", json={"code": CODE, "name": "ADA"})
    assert taken.status_code == 409 and "already called ADA" in taken.json()["detail"]
    post(board, ada, passed=True, ok=3)
    again = board.post("/api/join", json={"code": CODE, "name": "Ada L.", "token": ada})
    assert again.status_code == 201 and again.json()["token"] == ada
    (row,) = grid(board)["rows"]
    assert row["name"] == "Ada L." and row["cells"]["01.1"]["passed"]


def test_a_name_with_html_is_kept_as_text_and_the_page_cannot_run_it(
    board: TestClient,
) -> None:
    name = '<img src=x onerror="alert(1)">'
    seat(board, name)
    assert grid(board)["rows"][0]["name"] == name  # data, for the page to show as text
    page = board.get("/", headers={"Cookie": f"room_code={CODE}"})
    assert "<img" not in page.text  # the page is static: names come as JSON
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    script = board.get("/static/board.js").text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_the_csv_export_has_every_try_its_times_and_no_formula(
    board: TestClient,
) -> None:
    now = [datetime(2026, 5, 4, 9, 0).timestamp()]
    board.app.state.room.clock = lambda: now[0]
    ada, eve = seat(board, "Ada"), seat(board, '=HYPERLINK("http://x")')
    seat(board, "Cy")
    post(board, ada, ok=2, step=3, step_text="GET /health names the version")
    now[0] += 90
    post(board, ada, passed=True, ok=3)
    post(board, eve, exercise="01.2", ok=2, total=4, step=3, step_text="=1+1")
    export = board.get("/export.csv", headers={"Cookie": f"room_code={CODE}"})
    assert export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    assert export.text.splitlines() == [
        "attendee,exercise,title,state,tries,first try,first pass,minutes to pass,"
        "last try,failing step",
        '"\'=HYPERLINK(""http://x"")",01.2,Add /info,failed 2/4,1,2026-05-04 09:01:30,,,'
        "2026-05-04 09:01:30,3: =1+1",  # a digit first: not a formula
        "Ada,01.1,Report the version,passed,2,2026-05-04 09:00:00,"
        "2026-05-04 09:01:30,1.5,2026-05-04 09:01:30,",
        "Cy,,,not started",
    ]


def test_the_csv_export_takes_the_code_in_its_address(board: TestClient) -> None:
    seat(board, "Ada")
    assert board.get(f"/export.csv?code={CODE.lower()}").status_code == 200
    assert board.get("/export.csv?code=WRONG9").status_code == 403
    assert board.get("/export.csv").status_code == 403


def test_stuck_is_the_exercise_one_is_on_and_still_trying(
    board: TestClient, settings: BoardSettings
) -> None:
    now = [1000.0]
    board.app.state.room.clock = lambda: now[0]
    ada, bo, cy = seat(board, "Ada"), seat(board, "Bo"), seat(board, "Cy")
    di = seat(board, "Di")
    for token in (ada, bo, cy):
        post(board, token, exercise="01.1")
    now[0] += settings.stuck_after_seconds + 1
    post(board, ada, exercise="01.1")  # Ada tries again: stuck
    post(board, di, exercise="01.1")  # once, as `workshop check 01` does: not yet
    post(board, bo, exercise="01.2", passed=True, ok=3)  # Bo moved on
    # Cy stopped trying long ago
    now[0] += settings.stuck_recent_seconds - 2
    post(board, ada, exercise="01.1")
    stuck = grid(board)["stuck"]
    assert [(s["name"], s["exercise"]) for s in stuck] == [("Ada", "01.1")]
    rows = {r["name"]: r for r in grid(board)["rows"]}
    assert rows["Bo"]["current"] == "01.2" and rows["Cy"]["current"] == "01.1"
    assert rows["Ada"]["seen"] == 0
    assert rows["Cy"]["seen"] == settings.stuck_after_seconds + 1 + (
        settings.stuck_recent_seconds - 2
    )
    assert not rows["Cy"]["cells"]["01.1"]["stuck"]  # failing, but not trying


def test_each_column_names_the_step_most_fail_at_and_lessons_by_the_room(
    board: TestClient,
) -> None:
    now = [1000.0]
    board.app.state.room.clock = lambda: now[0]
    people = [seat(board, name) for name in ("Ada", "Bo", "Cy", "Di")]
    post(board, people[0], exercise="02.1", step=1, step_text="old words")
    now[0] += 5
    for token in people[:3]:
        post(board, token, exercise="02.1", step=2, step_text="a 422 for bad input")
    post(board, people[3], exercise="02.1", passed=True, ok=3)
    now[0] += 5
    post(board, people[0], exercise="01.1", passed=True, ok=3)
    shown = grid(board)
    failing = {c["id"]: c["failing"] for c in shown["columns"]}
    assert failing["02.1"] == {"step": 2, "text": "a 422 for bad input", "attendees": 3}
    assert failing["01.1"] is None
    # Bo, Cy and Di are on lesson 02, Ada on 01 (her latest result)
    assert [(ls["number"], ls["on"], ls["active"]) for ls in shown["lessons"]] == [
        ("02", 3, 5),
        ("01", 1, 0),
    ]


def test_a_room_kept_from_an_earlier_board_gains_the_new_columns(
    settings: BoardSettings,
) -> None:
    with sqlite3.connect(settings.database) as old:
        old.executescript(
            "CREATE TABLE results (attendee INTEGER NOT NULL, exercise TEXT NOT NULL,"
            " passed INTEGER NOT NULL, ok INTEGER NOT NULL, total INTEGER NOT NULL,"
            " tries INTEGER NOT NULL, last REAL NOT NULL, failing_since REAL,"
            " PRIMARY KEY (attendee, exercise));"
        )
    with TestClient(create_app(settings, exercises=EXERCISES)) as board:
        ada = seat(board)
        assert post(board, ada, step=2, step_text="x").status_code == 204
        assert grid(board)["rows"][0]["cells"]["01.1"]["step"] == 2


def test_a_result_that_passed_cannot_name_a_failing_step(board: TestClient) -> None:
    ada = seat(board)
    refused = post(board, ada, passed=True, ok=3, step=1, step_text="x")
    assert refused.status_code == 422
    control = post(board, ada, step=1, step_text="bad\u202eword")
    assert control.status_code == 422


def test_the_room_and_its_code_survive_a_restart(
    settings: BoardSettings, tmp_path: Path
) -> None:
    unnamed = settings.model_copy(update={"code": None})
    with TestClient(create_app(unnamed, exercises=EXERCISES)) as board:
        code = board.app.state.room.code
        seat(board, "Ada", code=code)
    assert len(code) == 6 and code.isalnum()
    with TestClient(create_app(unnamed, exercises=EXERCISES)) as board:
        assert board.app.state.room.code == code
        assert board.get("/api/grid", headers={"Cookie": f"room_code={code}"}).json()[
            "attendees"
        ]


def _zip(size: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notebooks/01-structure.ipynb", "x" * size)
    return out.getvalue()


def hand_in(board: TestClient, token: str, data: bytes, code: str = CODE) -> Any:
    return board.post(
        f"/api/handins?code={code}",
        content=data,
        headers={"Authorization": f"Bearer {token}"},
    )


def test_a_hand_in_is_kept_under_the_attendees_name_and_shown(
    board: TestClient, settings: BoardSettings
) -> None:
    ada = seat(board, "Ada Lovelace")
    answer = hand_in(board, ada, _zip())
    assert answer.status_code == 201 and answer.json() == {"file": "Ada-Lovelace.zip"}
    folder = settings.database.parent / "handins"
    assert (folder / "Ada-Lovelace.zip").read_bytes() == _zip()
    assert grid(board)["rows"][0]["handed_in"] is not None
    board.post("/api/join", json={"code": CODE, "name": "Ada L", "token": ada})
    assert hand_in(board, ada, _zip(1)).json() == {"file": "Ada-L.zip"}
    assert [p.name for p in folder.iterdir()] == ["Ada-L.zip"]  # renamed: one file


def test_a_hand_in_is_refused_without_a_seat_a_zip_or_a_fitting_size(
    settings: BoardSettings,
) -> None:
    small = settings.model_copy(update={"max_handin_mb": 1})
    with TestClient(create_app(small, exercises=EXERCISES)) as board:
        ann, other = seat(board, "ann lee"), seat(board, "ann-lee")
        assert hand_in(board, ann, _zip(), code="WRONG9").status_code == 403
        assert hand_in(board, "not-a-token", _zip()).status_code == 403
        assert hand_in(board, ann, b"not a zip").status_code == 422
        big = hand_in(board, ann, os.urandom(1024 * 1024 + 1))
        assert big.status_code == 413 and "at most 1 MB" in big.json()["detail"]
        assert hand_in(board, ann, _zip()).status_code == 201
        taken = hand_in(board, other, _zip())  # the same file name: never replaced
        assert taken.status_code == 409 and "ann-lee.zip" in taken.json()["detail"]
        folder = small.database.parent / "handins"
        assert [p.name for p in folder.iterdir()] == ["ann-lee.zip"]


def test_a_course_shows_its_lessons_only_and_keeps_the_rest(
    settings: BoardSettings,
) -> None:
    app = create_app(settings, exercises=EXERCISES, course=frozenset({2}))
    with TestClient(app) as board:
        ada = seat(board)
        # the join answer carries the course, for the attendee's notebook 00
        again = board.post("/api/join", json={"code": CODE, "name": "Bo"})
        assert again.json()["course"] == [2]
        assert post(board, ada, exercise="01.1", passed=True, ok=3).status_code == 204
        assert post(board, ada, exercise="02.1").status_code == 204
        shown = grid(board)
        export = board.get("/export.csv", params={"code": CODE}).text
    assert [c["id"] for c in shown["columns"]] == ["02.1"]
    assert [ls["number"] for ls in shown["lessons"]] == ["02"]
    assert "01.1" in export  # kept: the course decides what is shown, not stored
