"""The board's page in a real browser (Debian's Chromium, driven by Playwright):
a room of thirty joins and works through the day, and the page follows it live.

The attendees are simulated with the attendee's own code (`join`, and `send`, which
`check()` calls), against `workshop board` as an instructor starts it. One name
holds HTML; the page must show it as text. Screenshots of the board at both
projector sizes are kept in the test's folder.
"""

from __future__ import annotations

import re
import urllib.request
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
PROJECTORS = ({"width": 1280, "height": 720}, {"width": 1920, "height": 1080})
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


def _lesson(number: str) -> list[str]:
    return [e for e in known_exercises() if e.startswith(f"{number}.")]


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
            tab = browser.new_context(viewport=PROJECTORS[0]).new_page()
            tab.elsewhere = []
            tab.errors = []
            tab.on("pageerror", lambda error: tab.errors.append(str(error)))
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


def _all_rows_on_screen(page: Any) -> bool:
    """Every attendee's row inside the window: nothing to scroll to."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#grid tbody tr')].every(row => {
            const box = row.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
        })"""
    )


def _headers(page: Any) -> list[str]:
    return page.locator(
        "#grid table:first-child thead tr:first-child th"
    ).all_inner_texts()[2:]


def _rows(page: Any) -> int:
    return page.locator("#grid tbody tr").count()


def _fits(page: Any, *, height: bool = True) -> bool:
    return page.evaluate(
        """height => document.documentElement.scrollWidth <= innerWidth
            && (!height || document.documentElement.scrollHeight <= innerHeight)""",
        height,
    )


def _wait(page: Any, script: str, arg: Any = None) -> None:
    assert not page.errors, page.errors
    page.wait_for_function(script, arg=arg, timeout=UI_LIMIT_MS)
    assert not page.errors, page.errors


def test_a_room_of_thirty_on_one_screen_through_the_day(
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

    # The morning: everyone passes lessons 01 and 02.
    def morning(home: Path) -> None:
        for exercise in [*_lesson("01"), *_lesson("02")]:
            _send(home, exercise, True)

    _everyone(homes, morning)
    # The room is on 03 now: the even ones pass 03.1, the odd ones fail it.
    _everyone(homes, lambda home: _send(home, "03.1", homes.index(home) % 2 == 0))
    # One attendee races ahead and tries everything of 04 and 05.
    for exercise in [*_lesson("04"), *_lesson("05")]:
        _send(homes[2], exercise, False)
    # The odd ones try 03.1 again after the stuck limit: stuck, and named.
    _wait(page, "() => document.querySelectorAll('td.fail').length >= 15")
    page.wait_for_timeout(STUCK_AFTER_MINUTES * 60_000 + 500)
    _everyone(homes[1::2], lambda home: _send(home, "03.1", False))
    _wait(page, "() => document.querySelectorAll('td.stuck').length === 15")

    for size in PROJECTORS:
        page.set_viewport_size(size)
        page.wait_for_timeout(300)  # the page redraws on resize
        shot = tmp_path / f"board-{size['width']}x{size['height']}.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
        assert _rows(page) == ROOM_SIZE
        assert _all_rows_on_screen(page), f"rows below the fold at {size}"
        assert _fits(page), f"the board does not fit {size}"
        headers = _headers(page)
        # The lesson the room is on keeps its columns; the racer's lessons and
        # the finished ones are folded, never the room's.
        assert all(e in headers for e in _lesson("03")), headers
        folded = [h for h in headers if h.endswith("▸")]
        assert folded and folded[0].startswith("01"), headers  # finished: folded
        assert not any(h.startswith(("04.", "05.")) for h in headers), headers
        assert page.locator("#earlier").is_visible()
        size_px = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('#grid td')).fontSize)"
        )
        assert size_px >= 16, "type too small to read from the back of a room"

    # Titles and where the room fails, for the lesson it is on.
    listed = page.locator("#exercise-list li").all_inner_texts()
    titles = known_exercises()
    assert [line.split(" ")[0] for line in listed] == _lesson("03")
    assert listed[0].startswith(f"03.1 {titles['03.1']} · 15 failing at step 2: second")
    # The pass rate is among those who tried: 03.1 by everyone, half passed.
    rates = page.locator("#grid table:first-child tr.rates td").all_inner_texts()
    assert rates[_headers(page).index("03.1")] == "50%15/30"
    assert rates[_headers(page).index("03.2")] == ""  # nobody tried it yet

    stuck = page.locator("#stuck li").all_inner_texts()
    assert len(stuck) == 11 and stuck[-1] == "and 5 more"  # ten named, for the room
    assert all(re.fullmatch(r"Attendee \d\d · 03\.1 · <1 min", s) for s in stuck[:-1])

    # They get there: every stuck cell turns to a pass, and the stuck list goes.
    _everyone(homes[1::2], lambda home: _send(home, "03.1", True))
    _wait(page, "() => document.querySelectorAll('td.stuck').length === 0")
    assert page.locator("#stuck").is_hidden()

    # The name that holds HTML is shown as text; nothing of it ran.
    assert SCRIPT_NAME in page.locator("#grid tbody th").all_inner_texts()
    assert page.evaluate("document.querySelectorAll('#grid img').length") == 0
    assert page.evaluate("window.pwned") is None

    # The export, from outside the browser, with the code in its address.
    with urllib.request.urlopen(f"{board.url}/export.csv?code={CODE}") as export:
        lines = export.read().decode().splitlines()
    tried = ROOM_SIZE * (len(_lesson("01")) + len(_lesson("02")) + 1)
    assert len(lines) == 1 + tried + len(_lesson("04")) + len(_lesson("05"))
    assert lines[0].startswith("attendee,exercise,title,state,tries,first try")
    assert page.elsewhere == [], "the page asked for something beyond 127.0.0.1"
