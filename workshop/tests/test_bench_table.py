"""The arithmetic and layout of `make bench`'s table (benchmarks/bench_table.py):
the measurements themselves run by hand, never in the tests."""

import pytest

from benchmarks.bench_table import Row, costs, png, ratios, text
from benchmarks.wrk_load import parse, post_script

WRK_REPORT = """Running 5s test @ http://127.0.0.1:8000/health
  Latency Distribution
     50%  512.00us
     99%    3.21ms
  20000 requests in 5.00s, 3.00MB read
Requests/sec:   4000.50
"""


def test_ratios_are_paired_by_round_then_the_median_taken() -> None:
    # Round 2 was slow for both sides: pairing keeps its ratio at 0.5.
    assert ratios([50, 10, 60], [100, 20, 100]) == [0.5, 0.5, 0.6]
    assert costs([90, 45], [100, 50]) == pytest.approx([10, 10])
    with pytest.raises(ValueError):
        ratios([1, 2], [1])
    row = Row.of_rounds("a", ratios([50, 10, 60], [100, 20, 100]), "x", "report")
    assert (row.value, row.spread) == (0.5, "0.50 x to 0.60 x")


def test_each_row_says_whether_its_target_is_met() -> None:
    assert Row("a", 0.9, "x", "at least", 0.85).met is True
    assert Row("a", 2.5, "x", "at most", 2).met is False
    assert Row("a", 9.0, "/s", "report").met is None
    assert Row("a", None, "%", "at most", 10, note="needs lesson 10").met is None


def test_a_verdict_says_when_the_rounds_disagree() -> None:
    split = Row.of_rounds("stack", [4.0, 12.0, 13.0, 9.0, 15.0], "%", "at most", 10)
    assert (split.met, split.rounds_met) == (False, 2)
    assert split.verdict == "  not met, 2 of 5 rounds met"
    assert split.spread == "4.0 % to 15.0 %"
    held = Row.of_rounds("p99", [2.5, 3.0, 2.1], "x", "at most", 2)
    assert held.verdict == "  not met"  # every round missed
    passed = Row.of_rounds("health", [0.9, 0.86, 0.8], "x", "at least", 0.85)
    assert passed.verdict == "  met, 2 of 3 rounds met"
    assert Row.of_rounds("logins", [7.0, 8.0], "/s", "report").verdict == ""


def test_a_value_that_rounds_to_its_target_gets_more_digits() -> None:
    assert Row("stack", 10.04, "%", "at most", 10).shown == "10.04 %"
    assert Row("stack", 10.4, "%", "at most", 10).shown == "10.4 %"
    assert Row("health", 0.8496, "x", "at least", 0.85).shown == "0.8496 x"
    assert Row("health", 0.85, "x", "at least", 0.85).shown == "0.85 x"  # met


def test_the_table_shows_values_targets_and_what_is_missing() -> None:
    rows = [
        Row.of_rounds("health", [0.93, 0.912, 0.9], "x", "at least", 0.85, "0.49 x"),
        Row("items", 0.0312, "x", "at least", 0.15, "0.023 x"),
        Row("stack", None, "%", "at most", 10, note="needs lesson 10"),
        Row("logins", 8.96, "/s", "report"),
    ]
    lines = text(rows).splitlines()
    assert [cell.strip() for cell in lines[0].split("|")[1:4]] == [
        "Figure",
        "Measured",
        "Rounds",
    ]
    assert "0.91 x  met" in lines[2] and ">= 0.85 x" not in lines[2]
    assert "0.90 x to 0.93 x" in lines[2]
    assert "0.031 x  not met" in lines[3]
    assert "—  (needs lesson 10)" in lines[4] and "≤ 10.0 %" in lines[4]
    assert "9.0 /s" in lines[5] and "report" in lines[5]
    assert len({len(line) for line in lines}) == 1  # columns line up


def test_the_png_is_written(tmp_path) -> None:
    rows = [
        Row("health", 0.9, "x", "at least", 0.85),
        Row.of_rounds("stack", [4.0, 12.0, 13.0], "%", "at most", 10),
    ]
    path = png(rows, tmp_path / "b.png", "c")
    assert path.read_bytes().startswith(b"\x89PNG")


def test_wrk_reports_are_read_and_errors_refused() -> None:
    load = parse(WRK_REPORT)
    assert (load.rate, load.p99_ms) == (4000.5, 3.21)
    assert parse(WRK_REPORT.replace("3.21ms", "850.00us")).p99_ms == 0.85
    with pytest.raises(RuntimeError, match="errors"):
        parse(WRK_REPORT + "  Non-2xx or 3xx responses: 12\n")
    assert 'wrk.body = "a=\\"b\\""' in post_script('a="b"', "text/plain")
