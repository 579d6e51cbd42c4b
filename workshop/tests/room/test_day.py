"""A day of a 01-06 course, scripted: the board for thirty in Chromium, the
hand-in through it, then grading, feedback and the gradebook from its folder.

The instructor starts the board with `--course 01-06`; thirty attendees (the
attendee's own code: `join`, `send`, `submit`) join and work, the room on lesson
03; the page is shot at both projector sizes (in a folder removed afterwards)
with every row and the room's lesson on screen. At the end of the day each
attendee hands in through the board; `workshop grade --course 01-06` grades
that folder as INSTRUCTORS.md says, and writes a feedback file each and a
gradebook of the course's exercises only. Attendees who handed in the same
answers are checked once.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from workshop.attendee import room
from workshop.authoring import notebooks
from workshop.cli import main
from workshop.grading import runner
from workshop.handin import submit
from workshop.room.service import known_exercises
from workshop.tests.attendee.test_jupyterlab import CHROMIUM, CHROMIUM_FLAGS
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import attendee_notebook, everything
from workshop.tests.room.conftest import CODE, Served, served_board
from workshop.tests.room.test_page import (
    PROJECTORS,
    UI_LIMIT_MS,
    _all_rows_on_screen,
    _headers,
    _lesson,
    _result,
    _rows,
)

ROOM_SIZE = 30
COURSE = range(1, 7)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium; "
    ".ci/run installs it)",
)


@pytest.fixture
def board(tmp_path: Path) -> Iterator[Served]:
    with served_board(tmp_path, "--course", "01-06", refresh_seconds="1") as served:
        yield served


@pytest.fixture
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            tab = browser.new_context(viewport=PROJECTORS[0]).new_page()
            errors: list[str] = []
            tab.on("pageerror", lambda error: errors.append(str(error)))
            yield tab
            assert not errors, errors
        finally:
            browser.close()


def _homes(folder: Path) -> list[Path]:
    """Thirty workshop folders with lessons 01-06: every third attendee did all
    of lesson 01 (the same typed answers), the others nothing yet."""
    done = notebooks.dumps(attendee_notebook(1, everything(1)))
    lessons = {
        n: notebooks.dumps(attendee_notebook(n))
        for n in COURSE  # the notebooks as handed out
    }
    names = {n: next(ROOT.glob(f"notebooks/{n:02d}-*.ipynb")).name for n in COURSE}
    homes = []
    for number in range(ROOM_SIZE):
        home = folder / f"attendee-{number:02d}"
        (home / "notebooks").mkdir(parents=True)
        for n in COURSE:
            text = done if n == 1 and number % 3 == 0 else lessons[n]
            (home / "notebooks" / names[n]).write_text(text, encoding="utf-8")
        homes.append(home)
    return homes


def _everyone(homes: list[Path], act: Any) -> list[Any]:
    with ThreadPoolExecutor(10) as pool:
        return list(pool.map(act, homes))


def _send(home: Path, exercise: str, passed: bool) -> None:
    sender = room.send(home, _result(exercise, passed))
    assert sender is not None
    sender.join(30)


def test_a_day_of_a_course_from_the_board_to_the_gradebook(
    board: Served,
    page: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    homes = _homes(tmp_path / "room")
    names = [f"Attendee {n:02d}" for n in range(ROOM_SIZE)]
    page.goto(f"{board.url}/?code={CODE}")
    page.wait_for_selector("#live.on", timeout=UI_LIMIT_MS)
    joined = _everyone(
        homes, lambda home: room.join(home, board.url, CODE, names[homes.index(home)])
    )
    assert all(said.startswith("You joined") for said in joined), joined

    # The morning: lessons 01 and 02 for everyone; the room is on 03 now.
    def morning(home: Path) -> None:
        for exercise in [*_lesson("01"), *_lesson("02")]:
            _send(home, exercise, True)
        _send(home, "03.1", homes.index(home) % 2 == 0)

    _everyone(homes, morning)
    page.wait_for_function(
        "n => document.querySelectorAll('#grid tbody tr').length === n",
        arg=ROOM_SIZE,
        timeout=UI_LIMIT_MS,
    )
    page.wait_for_function(
        "() => document.querySelectorAll('td.fail').length >= 15", timeout=UI_LIMIT_MS
    )
    with tempfile.TemporaryDirectory(prefix="board-shots-") as shots:
        for size in PROJECTORS:
            page.set_viewport_size(size)
            page.wait_for_timeout(300)  # the page redraws on resize
            shot = Path(shots, f"board-{size['width']}x{size['height']}.png")
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
            assert _rows(page) == ROOM_SIZE
            assert _all_rows_on_screen(page), f"rows below the fold at {size}"
            headers = _headers(page)
            assert all(e in headers for e in _lesson("03")), headers
            assert not any(h.startswith(("07", "08", "09", "10")) for h in headers)
    assert not Path(shots).exists()

    # The end of the day: each hands in through the board.
    handed = _everyone(
        homes, lambda home: submit(names[homes.index(home)], home, home / "out")
    )
    assert all(h.board and h.board.startswith("Handed in") for h in handed), [
        h.board for h in handed
    ]
    page.reload()
    page.wait_for_selector("#live.on", timeout=UI_LIMIT_MS)
    page.wait_for_function(
        "n => document.body.innerText.split('✉').length - 1 >= n",
        arg=ROOM_SIZE,
        timeout=UI_LIMIT_MS,
    )
    handins = sorted((tmp_path / "handins").glob("*.zip"))
    assert len(handins) == ROOM_SIZE

    # Grading the folder, as INSTRUCTORS.md says, counting the jobs it runs.
    jobs = []
    run = runner.Runner.run
    monkeypatch.setattr(
        runner.Runner, "run", lambda this, job: jobs.append(job) or run(this, job)
    )
    reports = tmp_path / "reports"
    reports.mkdir()
    monkeypatch.chdir(ROOT)
    status = main(
        [
            "grade",
            *("--course", "01-06", "--gradebook", str(reports / "gradebook.csv")),
            *("--feedback", str(reports / "feedback"), "--"),
            *map(str, handins),
        ]
    )
    said = capsys.readouterr()
    out = said.out + said.err
    assert status == 0, out
    assert len(jobs) == 1, out  # ten hand-ins of the same answers: checked once
    course = [e for e in known_exercises() if int(e[:2]) in COURSE]
    with (reports / "gradebook.csv").open(encoding="utf-8") as book:
        rows = list(csv.DictReader(book))
    assert len(rows) == ROOM_SIZE
    assert list(rows[0]) == ["attendee", *course, "total"]
    totals = sorted(int(row["total"]) for row in rows)
    assert totals == [0] * 20 + [len(_lesson("01"))] * 10
    feedback = sorted((reports / "feedback").glob("*.md"))
    assert len(feedback) == ROOM_SIZE
    text = (reports / "feedback" / "Attendee-00.md").read_text(encoding="utf-8")
    assert "## 01.1 " in text and "## 06.1 " in text and "## 07.1" not in text
