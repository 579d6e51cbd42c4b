"""The `make bench` table: rows built from rounds of measurements, as text and PNG.

Each figure is the median over rounds of a per-round ratio: within a round the
two sides ran moments apart, so a busy moment on the machine hits both alike,
and the median drops the round where it did not. The table also shows the
lowest and highest round, and says when rounds fell on both sides of a target:
a verdict the next run could reverse.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Goal = Literal["at least", "at most", "report"]


@dataclass(frozen=True)
class Row:
    """One figure: its value (None when it could not be measured here), how it
    is written, the target it is held to, what the official full-stack template
    measured, and the value of each round behind it."""

    figure: str
    value: float | None
    unit: Literal["x", "%", "/s"]
    goal: Goal
    target: float | None = None
    template: str = "—"
    note: str = ""
    rounds: Sequence[float] = field(default=(), compare=False)

    @classmethod
    def of_rounds(
        cls,
        figure: str,
        rounds: Sequence[float],
        unit: Literal["x", "%", "/s"],
        goal: Goal,
        target: float | None = None,
        template: str = "—",
    ) -> Row:
        """The row whose value is the median of `rounds`."""
        value = statistics.median(rounds)
        return cls(figure, value, unit, goal, target, template, rounds=tuple(rounds))

    @property
    def shown(self) -> str:
        if self.value is None:
            return f"—  ({self.note})" if self.note else "—"
        return show(self.value, self.unit, apart_from=self.target)

    @property
    def target_shown(self) -> str:
        if self.goal == "report" or self.target is None:
            return "report"
        sign = "≥" if self.goal == "at least" else "≤"
        return f"{sign} {show(self.target, self.unit)}"

    @property
    def spread(self) -> str:
        """The lowest and the highest round."""
        if not self.rounds:
            return ""
        low, high = show(min(self.rounds), self.unit), show(max(self.rounds), self.unit)
        return f"{low} to {high}"

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None when there is none or no value."""
        return None if self.value is None else self.meets(self.value)

    @property
    def rounds_met(self) -> int:
        """How many rounds met the target on their own."""
        return sum(self.meets(value) is True for value in self.rounds)

    @property
    def split(self) -> bool:
        """Whether some rounds met the target and some did not."""
        return 0 < self.rounds_met < len(self.rounds)

    @property
    def verdict(self) -> str:
        if self.met is None:
            return ""
        said = "met" if self.met else "not met"
        if self.split:
            said += f", {self.rounds_met} of {len(self.rounds)} rounds met"
        return f"  {said}"

    def meets(self, value: float) -> bool | None:
        if self.target is None or self.goal == "report":
            return None
        if self.goal == "at least":
            return value >= self.target
        return value <= self.target


def show(value: float, unit: str, *, apart_from: float | None = None) -> str:
    """`value` to the digits its rounds support, and more while it would read
    the same as `apart_from` (its target): 10.04 %, not met, is not 10.0 %."""
    digits = (3 if value < 0.1 else 2) if unit == "x" else 1
    while apart_from not in (None, value) and digits < 6:
        if f"{value:.{digits}f}" != f"{apart_from:.{digits}f}":
            break
        digits += 1
    return f"{value:.{digits}f} {unit}"


def ratios(tops: Sequence[float], bottoms: Sequence[float]) -> list[float]:
    """top/bottom, paired round by round."""
    if not tops or len(tops) != len(bottoms):
        raise ValueError("one bottom per top, and at least one round")
    return [t / b for t, b in zip(tops, bottoms, strict=True)]


def costs(with_it: Sequence[float], without: Sequence[float]) -> list[float]:
    """What a feature costs in throughput, in percent, round by round:
    100 * (1 - with/without)."""
    return [100 * (1 - ratio) for ratio in ratios(with_it, without)]


HEADER = ("Figure", "Measured", "Rounds", "Target", "Template")


def cells(rows: Sequence[Row]) -> list[tuple[str, ...]]:
    return [
        (r.figure, r.shown + r.verdict, r.spread, r.target_shown, r.template)
        for r in rows
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
    """The table as a picture, each measured cell green (met), red (not met),
    yellow (the rounds disagree) or grey (no target, or not measured)."""
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
        table[number, 1].set_facecolor("#fff3c4" if row.split else colour[row.met])
    axes.set_title(caption, fontsize=9, loc="left")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120, bbox_inches="tight")
    pyplot.close(figure)
    return path
