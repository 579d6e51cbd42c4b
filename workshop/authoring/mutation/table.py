"""What `workshop mutants` prints: a row per exercise, then each survivor.

    exercise  mutants  killed  survived  explained  score  dropped
    02.2           23      19         4          4   100%        0  ✓

`score` counts the killed among the mutants the allow-list does not explain
(a mutant whose check gave no verdict, "undecided", counts neither way);
`dropped` counts the changes not kept (they did not compile, repeated another,
or could only make the code slower). Under the table, each survivor nobody
explained is shown as the lines it changed, to write the step that kills it.
"""

from __future__ import annotations

from workshop.authoring.mutation.generate import Mutant
from workshop.authoring.mutation.measure import Measured

COLUMNS = ("exercise", "mutants", "killed", "survived", "explained", "score", "dropped")


def _status(entry: Measured) -> str:
    if entry.broken and entry.baseline is not None:
        return f"✗ the check fails on the solution ({entry.baseline.how})"
    notes = []
    if entry.unexplained():
        notes.append(f"✗ {len(entry.unexplained())} unexplained")
    if entry.stale():
        notes.append(f"✗ {len(entry.stale())} explained, yet killed")
    if entry.undecided():
        notes.append(f"✗ {len(entry.undecided())} undecided")
    if not entry.group.mutants:
        python = entry.group.path.endswith(".py")
        notes.append("no mutants" if python else "no mutants (not Python)")
    return ", ".join(notes) or "✓"


def _counts(entries: list[Measured]) -> list[str]:
    """mutants, killed, survived, explained, score, dropped."""
    judged = [e for e in entries if not e.broken]
    killed = sum(e.killed for e in judged)
    counted = sum(
        len(e.group.mutants) - len(e.explained()) - len(e.undecided()) for e in judged
    )
    return [
        str(sum(len(e.group.mutants) for e in entries)),
        str(killed) if judged else "",
        str(sum(len(e.survivors()) for e in judged)) if judged else "",
        str(sum(len(e.explained()) for e in judged)) if judged else "",
        f"{killed / counted:.0%}" if counted else "",
        str(sum(sum(e.group.dropped.values()) + e.group.excluded for e in entries)),
    ]


def table(measured: list[Measured]) -> str:
    rows = [list(COLUMNS)] + [[e.exercise, *_counts([e])] for e in measured]
    statuses = ["", *(_status(e) for e in measured)]
    if len(measured) > 1:
        rows.append(["all", *_counts(measured)])
        statuses.append("")
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for row, status in zip(rows, statuses, strict=True):
        cells = [row[0].ljust(widths[0])]
        cells += [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join([*cells, status]).rstrip())
    return "\n".join(lines)


def _shown(entry: Measured, mutant: Mutant, what: str) -> str:
    return "\n".join(
        [
            f"{entry.exercise} · {what} · {mutant.label}",
            f"     {mutant.path}",
            *(f"    {line}" for line in mutant.diff),
        ]
    )


def report(measured: list[Measured], *, explained: bool = False) -> str:
    """The table, each unexplained survivor as a diff, and (with `explained`)
    the explained ones with their reasons."""
    parts = [table(measured)]
    for entry in measured:
        parts += [_shown(entry, m, "survived") for m in entry.unexplained()]
        parts += [
            _shown(entry, m, f"explained, yet killed ({entry.outcomes[m.label].how})")
            for m in entry.stale()
        ]
        parts += [
            _shown(entry, m, f"undecided: {entry.outcomes[m.label].how}")
            for m in entry.undecided()
        ]
    for entry in measured if explained else []:
        parts += [
            _shown(entry, m, "explained") + f"\n     because {entry.reasons[m.label]}"
            for m in entry.explained()
        ]
    return "\n\n".join(parts)
