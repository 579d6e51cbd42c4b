"""The terminal table: marks, pass rates, and nothing a submission can forge."""

# ruff: noqa: RUF001  (the table marks a missing exercise with an en dash)
from __future__ import annotations

from pathlib import Path

from workshop.grading.rows import Outcome, Row, State, pass_rates
from workshop.grading.table import escape, mark, table


def test_control_and_format_characters_are_escaped() -> None:
    assert escape("a\r\x1b[2K\u202eb\tc\nd") == "a\\r\\x1b[2K\\u202eb c d"
    assert escape("ada ✓ · – ⚑") == "ada ✓ · – ⚑"


def test_marks_tell_not_started_from_tried() -> None:
    assert mark(Outcome(State.FAILED, steps=(10, 11))) == "✗ 10/11"
    assert mark(Outcome(State.FAILED)) == "✗"
    assert mark(Outcome(State.NOT_STARTED)) == "·"
    assert mark(Outcome(State.MISSING)) == "–"
    assert mark(Outcome(State.VOID)) == "⚑"


def test_a_lesson_nobody_handed_in_has_no_pass_rate() -> None:
    missing = Outcome(State.MISSING)
    row = Row("ada", Path("ada"), {"01.1": Outcome(State.PASSED), "02.1": missing})
    row.lessons[1] = None  # type: ignore[assignment]  (handed in; what is not read here)
    other = Row(
        "bo", Path("bo"), {"01.1": missing, "02.1": missing}, problems=["not found"]
    )
    assert pass_rates(["01.1", "02.1"], [row, other]) == {"01.1": 1.0, "02.1": None}
    assert table(["01.1", "02.1"], [row, other]).splitlines()[-1].split() == [
        "pass",
        "rate",
        "100%",
        "–",
    ]


def test_a_long_status_is_shortened_in_the_table_only() -> None:
    row = Row("ada", Path("ada"), {}, problems=["x" * 1000])
    line = table([], [row]).splitlines()[1]
    assert line.endswith("x…") and len(line) < 400
    assert row.status == "x" * 1000
