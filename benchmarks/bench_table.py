"""The `make bench` table: rows built from rounds of measurements, as text and PNG.

Each figure is the median over rounds of a per-round ratio: within a round the
two sides ran moments apart, so a busy moment on the machine hits both alike,
and the median drops the round where it did not.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Goal = Literal["at least", "at most", "report"]


@dataclass(frozen=True)
class Row:
    """One figure: its value (None when it could not be measured here), how it
    is written, the target it is held to, and what the official full-stack
    template measured."""

    figure: str
    value: float | None
    unit: Literal["x", "%", "/s"]
    goal: Goal
    target: float | None = None
    template: str = "—"
    note: str = ""

    @property
    def shown(self) -> str:
        if self.value is None:
            return f"—  ({self.note})" if self.note else "—"
        return show(self.value, self.unit)

    @property
    def target_shown(self) -> str:
        if self.goal == "report" or self.target is None:
            return "report"
        sign = "≥" if self.goal == "at least" else "≤"
        return f"{sign} {show(self.target, self.unit)}"

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None when there is none or no value."""
        if self.value is None or self.target is None or self.goal == "report":
            return None
        if self.goal == "at least":
            return self.value >= self.target
        return self.value <= self.target


def show(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.3f} x" if value < 0.1 else f"{value:.2f} x"
    if unit == "%":
        return f"{value:.1f} %"
    return f"{value:.1f} /s"


def median_ratio(tops: Sequence[float], bottoms: Sequence[float]) -> float:
    """The median of top/bottom, paired round by round."""
    if not tops or len(tops) != len(bottoms):
        raise ValueError("one bottom per top, and at least one round")
    return statistics.median(t / b for t, b in zip(tops, bottoms, strict=True))


def median_cost(with_it: Sequence[float], without: Sequence[float]) -> float:
    """What a feature costs in throughput, in percent: 100 * (1 - with/without),
    median over rounds."""
    return 100 * (1 - median_ratio(with_it, without))


HEADER = ("Figure", "Measured", "Target", "Template")


def cells(rows: Sequence[Row]) -> list[tuple[str, str, str, str]]:
    verdict = {True: "  met", False: "  not met", None: ""}
    return [
        (r.figure, r.shown + verdict[r.met], r.target_shown, r.template) for r in rows
    ]


def text(rows: Sequence[Row]) -> str:
    """The table, in Markdown (readable in a terminal, pasted as is in a README)."""
    lines = [HEADER, *cells(rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]

    def line(values: Sequence[str]) -> str:
        padded = (v.ljust(w) for v, w in zip(values, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(HEADER), rule, *map(line, lines[1:])])


def png(rows: Sequence[Row], path: Path, caption: str) -> Path:
    """The table as a picture, each measured cell green (met), red (not met) or
    grey (no target, or not measured)."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    from matplotlib import pyplot

    colour = {True: "#c8e6c9", False: "#ffcdd2", None: "#eeeeee"}
    figure, axes = pyplot.subplots(figsize=(12, 0.4 * len(rows) + 0.6))
    axes.axis("off")
    table = axes.table(
        cellText=cells(rows), colLabels=HEADER, cellLoc="left", loc="upper center"
    )
    table.auto_set_font_size(False)
    table.set_fontsize(10)
    table.auto_set_column_width(range(len(HEADER)))
    table.scale(1, 1.6)
    for number, row in enumerate(rows, start=1):
        table[number, 1].set_facecolor(colour[row.met])
    axes.set_title(caption, fontsize=9, loc="left")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120, bbox_inches="tight")
    pyplot.close(figure)
    return path
