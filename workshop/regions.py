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
`render(text, stub={"01.1"})` stubs only the regions of those exercises.
"""

from __future__ import annotations

import re
from collections.abc import Collection

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


def render(text: str, *, stub: bool | Collection[str]) -> str:
    out: list[str] = []
    state, indent, stub_lines, stubbed = None, "", [], False
    for number, line in enumerate(text.split("\n"), start=1):
        marker, begin = line.strip(), _BEGIN.match(line)
        if begin:
            if state is not None:
                raise WorkshopError(f"line {number}: a region starts inside a region")
            state, indent, stub_lines = "solution", begin.group(1), []
            stubbed = stub if isinstance(stub, bool) else begin.group(2) in stub
        elif marker == STUB:
            if state != "solution":
                raise WorkshopError(f"line {number}: {STUB} outside a region")
            state = "stub"
        elif marker == END:
            if state is None:
                raise WorkshopError(f"line {number}: {END} without {BEGIN}")
            if stubbed:
                out.extend(stub_lines or [f"{indent}pass  # your code here"])
            state = None
        elif state is None or (state == "solution" and not stubbed):
            out.append(line)
        elif state == "stub":
            stub_lines.append(_uncomment(line))
    if state is not None:
        raise WorkshopError(f"a region is not closed with {END}")
    return "\n".join(out)
