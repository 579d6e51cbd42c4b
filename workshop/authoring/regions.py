"""Solution regions: the part of a cell an attendee writes as an exercise.

In `solutions/` a region looks like this, named by its exercise (the stub lines
are comments there, so the solution runs as written)::

    ### BEGIN SOLUTION 01.1
    return {"status": "ok", "version": settings.version}
    ### STUB
    # return {"status": "ok"}
    ### END SOLUTION

`render(text, stub=False)` keeps the solution and drops the markers;
`render(text, stub=True)` puts the uncommented stub in its place (or `pass`);
`render(text, stub={"01.1"})` stubs only the regions of those exercises, and
`answers={"01.1": code}` writes `code` in place of a region, as an attendee's
answer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from workshop.project import WorkshopError

BEGIN, STUB, END = "### BEGIN SOLUTION", "### STUB", "### END SOLUTION"
_COMMENT = re.compile(r"^(\s*)# ?(.*)$")


_BEGIN = re.compile(r"^(\s*)### BEGIN SOLUTION(?:\s+(\S+))?\s*$")


def region_ids(text: str) -> list[str]:
    """The exercise ids of the regions in `text`, in order ('' for an unnamed one)."""
    return [m.group(2) or "" for m in map(_BEGIN.match, text.split("\n")) if m]


def _uncomment(line: str) -> str:
    match = _COMMENT.match(line)
    return f"{match.group(1)}{match.group(2)}" if match else line


@dataclass
class Region:
    id: str  # the exercise, e.g. "01.1" ('' when unnamed)
    solution: list[str] = field(default_factory=list)
    stub: list[str] = field(default_factory=list)  # uncommented, ready to write


def parse(text: str) -> list[str | Region]:
    """The lines of `text`, each region folded into one `Region`, checked for shape."""
    parts: list[str | Region] = []
    region: Region | None = None
    in_stub = False
    for number, line in enumerate(text.split("\n"), start=1):
        marker, begin = line.strip(), _BEGIN.match(line)
        if begin:
            if region is not None:
                raise WorkshopError(f"line {number}: a region starts inside a region")
            region, in_stub = Region(begin.group(2) or ""), False
            indent = begin.group(1)
        elif marker == STUB:
            if region is None or in_stub:
                raise WorkshopError(f"line {number}: {STUB} outside a region")
            in_stub = True
        elif marker == END:
            if region is None:
                raise WorkshopError(f"line {number}: {END} without {BEGIN}")
            region.stub = region.stub or [f"{indent}pass  # your code here"]
            parts.append(region)
            region = None
        elif region is None:
            parts.append(line)
        elif in_stub:
            region.stub.append(_uncomment(line))
        else:
            region.solution.append(line)
    if region is not None:
        raise WorkshopError(f"a region is not closed with {END}")
    return parts


def render(
    text: str,
    *,
    stub: bool | Collection[str],
    answers: Mapping[str, str] | None = None,
) -> str:
    out: list[str] = []
    for part in parse(text):
        if isinstance(part, str):
            out.append(part)
        elif answers and part.id in answers:
            out.extend(answers[part.id].split("\n"))
        elif stub is True or (not isinstance(stub, bool) and part.id in stub):
            out.extend(part.stub)
        else:
            out.extend(part.solution)
    return "\n".join(out)


def solved_marker(exercise_id: str) -> str:
    """The comment `workshop solve` leaves in a region it fills, for the grader."""
    return f"# solved with `workshop solve {exercise_id}`"
