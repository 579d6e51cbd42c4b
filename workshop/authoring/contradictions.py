"""The notebook never contradicts itself: where the attendee's copy prints something
other than the solution, a note just above the cell names the exercise it waits for.

A note is a blockquote line in the nearest markdown cell above the code cell
that names an exercise of the lesson by its id:

    > **Until you finish exercise 03.2**, your copy answers `201` here.

Outputs are compared as nbval compares them (workshop.authoring.outputs). Cells
that differ by design are left out: the check cells, the cells that hold an
exercise region (the attendee writes them), and cells whose output nbval ignores.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workshop.authoring import notebooks
from workshop.authoring.nbval_capture import read_captured
from workshop.authoring.notebooks import Node
from workshop.authoring.outputs import comparable, sanitizers
from workshop.authoring.regions import region_ids
from workshop.checking import exercises_of
from workshop.project import lesson_number, solution_notebooks

IGNORED_TAGS = {"nbval-ignore-output", "nbval-skip", "raises-exception"}
IGNORED_COMMENTS = ("# NBVAL_IGNORE_OUTPUT", "# NBVAL_SKIP", "# NBVAL_RAISES_EXCEPTION")
_CHECK = re.compile(r'^check\(\s*"[^"]+"\s*(,\s*hint\s*=\s*\d+\s*)?\)\s*$')


def differs_by_design(cell: Node) -> bool:
    source = cell.source
    tags = set(cell.get("metadata", {}).get("tags", []))
    return bool(
        tags & IGNORED_TAGS
        or any(line.strip() in IGNORED_COMMENTS for line in source.splitlines())
        or all(_CHECK.match(line) for line in source.strip().splitlines() or ["x"])
        or region_ids(source)
    )


def note_above(cells: list[Node], index: int) -> str:
    """The nearest markdown cell above `cells[index]` ("" when there is none)."""
    for cell in reversed(cells[:index]):
        if cell.cell_type == "markdown":
            return cell.source
    return ""


def names_an_exercise(markdown: str, exercises: list[str]) -> bool:
    quoted = [line for line in markdown.splitlines() if line.lstrip().startswith(">")]
    return any(
        re.search(rf"(?<![\d.]){re.escape(e)}(?![\d])", line)
        for line in quoted
        for e in exercises
    )


def _first_difference(expected: dict[str, Any], got: dict[str, Any]) -> str:
    """'stdout, line 3: the solution prints '...', the copy '...''."""
    for key in sorted(expected.keys() | got.keys()):
        want = "".join(map(str, expected.get(key, []))).splitlines()
        have = "".join(map(str, got.get(key, []))).splitlines()
        for number in range(max(len(want), len(have))):
            mine = want[number] if number < len(want) else "nothing"
            theirs = have[number] if number < len(have) else "nothing"
            if mine != theirs:
                return (
                    f"{key}, line {number + 1}: the solution prints {mine[:80]!r}, "
                    f"the copy {theirs[:80]!r}"
                )
    return ""


def contradictions(
    name: str,
    solution: Node,
    captured: Mapping[str, list[Any]],
    exercises: list[str],
) -> list[str]:
    """Where the attendee copy of notebook `name` (its outputs in `captured`, by
    cell id) prints something else than `solution`, with no note above the cell
    naming one of `exercises`."""
    patterns = sanitizers()
    problems = []
    for index, cell in enumerate(solution.cells):
        if cell.cell_type != "code" or cell.get("id") not in captured:
            continue
        if differs_by_design(cell):
            continue
        expected = comparable(cell.outputs, patterns)
        got = comparable(captured[cell.id], patterns)
        if expected == got or names_an_exercise(
            note_above(solution.cells, index), exercises
        ):
            continue
        first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        problems.append(
            f"{name} cell {index + 1} (id {cell.id}, `{first_line[:60]}`) prints "
            f"something else in the attendee copy ({_first_difference(expected, got)}), "
            "and the markdown cell above it has no note naming an exercise of the "
            f"lesson ({', '.join(exercises) or 'none'}): add a line such as "
            f"'> **Until you finish exercise {exercises[0] if exercises else 'NN.k'}**, "
            "your copy prints ... here.'"
        )
    return problems


def in_every_lesson(root: Path, captured: Path) -> list[str]:
    """`contradictions` for every attendee notebook with outputs in `captured`
    (a folder written by workshop.authoring.nbval_capture)."""
    problems = []
    for source in solution_notebooks(root):
        outputs = read_captured(captured, source.name)
        if outputs is not None:
            problems += contradictions(
                f"notebooks/{source.name}",
                notebooks.read(source),
                outputs,
                exercises_of(lesson_number(source)),
            )
    return problems
