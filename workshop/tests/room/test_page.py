"""The board's page in a real browser (Debian's Chromium, driven by Playwright):
thirty attendees join and send results, and the page follows them live.

The attendees are simulated with the attendee's own code (`join`, and `send`, which
`check()` calls), against `workshop board` as an instructor starts it. One name
holds HTML; the page must show it as text. A screenshot of the board, at a
projector's size, is kept in the test's folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from workshop import timeouts
from workshop.attendee import room
from workshop.checking import Result, Step
from workshop.room.service import known_exercises
from workshop.tests.attendee.test_jupyterlab import CHROMIUM, CHROMIUM_FLAGS
from workshop.tests.room.conftest import CODE, Served, served_board

ROOM_SIZE = 30
STUCK_AFTER_MINUTES = 0.05  # 3 s: long enough to be seen failing first
UI_LIMIT_MS = timeouts.scaled(30_000)  # a limit, not a measurement
PROJECTOR = {"width": 1280, "height": 800}
SCRIPT_NAME = '<img src=x onerror="window.pwned=1">'

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium; "
    ".ci/run installs it)",
)


def _names() -> list[str]:
    return [SCRIPT_NAME, *(f"Attendee {n:02d}" for n in range(1, ROOM_SIZE))]


def _result(exercise: str, passed: bool) -> Result:
    steps = [Step(True, "first"), Step(passed, "second"), Step(passed, "third")]
    return Result(exercise, "title", "hint", steps, expected=3)


@pytest.fixture
def board(tmp_path: Path) -> Iterator[Served]:
    with served_board(
        tmp_path, "--stuck-after", str(STUCK_AFTER_MINUTES), refresh_seconds="1"
    ) as served:
        yield served


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            tab = browser.new_context(viewport=PROJECTOR).new_page()
            tab.elsewhere = []
            tab.on(
                "request",
                lambda r: (
                    None
                    if re.match(r"^https?://127\.0\.0\.1[:/]", r.url)
                    else tab.elsewhere.append(r.url)
                ),
            )
            yield tab
        finally:
            browser.close()


def _everyone(homes: list[Path], act: Any) -> list[Any]:
    """Each attendee at once, as a room does."""
    with ThreadPoolExecutor(len(homes)) as pool:
        return list(pool.map(act, homes))


def _send(home: Path, exercise: str, passed: bool) -> None:
    sender = room.send(home, _result(exercise, passed))
    assert sender is not None
    sender.join(30)


def _rows(page: Any) -> int:
    return page.locator("#grid tbody tr").count()


def _fits(page: Any, *, height: bool = True) -> bool:
    return page.evaluate(
        """height => document.documentElement.scrollWidth <= innerWidth
            && (!height || document.documentElement.scrollHeight <= innerHeight)""",
        height,
    )


def _wait(page: Any, script: str, arg: Any = None) -> None:
    page.wait_for_function(script, arg=arg, timeout=UI_LIMIT_MS)


def test_thirty_attendees_fill_the_board_live(
    board: Served, page: Any, tmp_path: Path
) -> None:
    page.goto(f"{board.url}/?code={CODE}")
    page.wait_for_selector("#live.on", timeout=UI_LIMIT_MS)
    assert page.locator("#empty").is_visible() and _rows(page) == 0
    assert page.locator("#join").inner_text() == (
        f'join("{board.url}", "{CODE}", "your name")'
    )

    homes = [tmp_path / f"attendee-{n}" for n in range(ROOM_SIZE)]
    joined = _everyone(
        homes,
        lambda home: room.join(home, board.url, CODE, _names()[homes.index(home)]),
    )
    assert all(said.startswith("You joined") for said in joined), joined
    _wait(
        page, "n => document.querySelectorAll('#grid tbody tr').length === n", ROOM_SIZE
    )

    # Lesson 01: the even ones pass 01.1, the odd ones fail it (and stay stuck).
    _everyone(homes, lambda home: _send(home, "01.1", homes.index(home) % 2 == 0))
    rate = "#grid table:first-child tr.rates td:nth-child(2)"
    _wait(page, "s => document.querySelector(s)?.textContent === '50%15/30'", rate)
    assert page.locator("#grid tbody td.pass").count() == ROOM_SIZE // 2
    assert page.locator("#grid tbody td.fail").count() == ROOM_SIZE // 2
    first_row = "#grid table:first-child thead tr:first-child th"
    assert page.locator(first_row).all_inner_texts()[1:] == [
        "01.1",
        "01.2",
        "01.3",
    ]

    # Failing for longer than the limit: stuck, in red, and named above the grid.
    _wait(page, "() => document.querySelectorAll('td.stuck').length === 15")
    assert page.locator("#stuck").is_visible()
    stuck = page.locator("#stuck li").all_inner_texts()
    assert len(stuck) == 11 and stuck[-1] == "and 5 more"  # ten named, for the room
    assert all(re.fullmatch(r"Attendee \d\d · 01\.1 · <1 min", s) for s in stuck[:-1])
    page.screenshot(path=str(tmp_path / "board.png"), full_page=True)
    assert (tmp_path / "board.png").stat().st_size > 10_000

    # They get there: every stuck cell turns to a pass, and the stuck list goes.
    _everyone(homes[1::2], lambda home: _send(home, "01.1", True))
    _wait(page, "s => document.querySelector(s)?.textContent === '100%30/30'", rate)
    assert page.locator("td.stuck").count() == 0
    assert page.locator("#stuck").is_hidden()

    # The name that holds HTML is shown as text; nothing of it ran.
    assert SCRIPT_NAME in page.locator("#grid tbody th").all_inner_texts()
    assert page.evaluate("document.querySelectorAll('#grid img').length") == 0
    assert page.evaluate("window.pwned") is None

    # On a projector: thirty side by side, in type large enough to read, on one
    # screen.
    assert page.locator("#grid table").count() >= 2
    assert _fits(page), "the board does not fit the projector's screen"
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#grid td')).fontSize)"
    )
    assert size >= 16

    # One attendee races ahead: the lessons only they tried give way to fit the
    # width, not the one the room is on.
    _send(homes[2], "01.2", True)
    for exercise in [e for e in known_exercises() if e[:2] > "01"]:
        _send(homes[2], exercise, False)
    page.wait_for_selector("#earlier:not([hidden])", timeout=UI_LIMIT_MS)
    assert page.locator("#earlier").inner_text().startswith("Lessons 02, ")
    shown = page.locator(first_row).all_inner_texts()[1:]
    assert shown[:3] == ["01.1", "01.2", "01.3"] and "02.1" not in shown
    assert _fits(page, height=False)
    page.screenshot(path=str(tmp_path / "board-later.png"), full_page=True)

    export = page.request.get(f"{board.url}/export.csv")
    assert export.status == 200
    lines = export.text().splitlines()
    assert len(lines) == 1 + ROOM_SIZE and lines[0].startswith("attendee,01.1,")
    assert page.elsewhere == [], "the page asked for something beyond 127.0.0.1"
