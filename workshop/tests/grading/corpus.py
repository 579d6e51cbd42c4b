"""Attendee notebooks for the grading tests, written as attendees would leave them.

Built from a lesson's attendee copy (notebooks/) with some exercises done the
solution's way and others holding code of the test's choosing, without region
markers (attendees never see them). An exercise done the solution's way ends
with a comment of the attendee's, as typed work does: the solution's text and
nothing else, without `workshop solve`'s mark, is flagged by the grader.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from workshop.authoring import fold, notebooks
from workshop.authoring.notebooks import file_cell_source
from workshop.grading.alignment import template
from workshop.tests.conftest import ROOT

Edit = Callable[[str, str], str]  # (path, text) -> text
TYPED = "  # typed by hand"


def typed_in(solution: list[str], python: bool = True) -> str:
    """The solution as an attendee types it: a comment of theirs at its end (on
    its last line in Python; on a line of its own in a Dockerfile, say, where a
    comment cannot follow an instruction)."""
    last = max(i for i, line in enumerate(solution) if line.strip())
    mine = [solution[last] + TYPED] if python else [solution[last], TYPED.strip()]
    return "\n".join([*solution[:last], *mine, *solution[last + 1 :]])


def region_solution(ls: fold.Lesson, exercise: str) -> list[str]:
    """The solution's lines in the exercise's region, blank lines around included."""
    return template(ls.bodies[ls.homes[exercise]]).solutions[exercise]


def lesson(number: int) -> fold.Lesson:
    return {ls.number: ls for ls in fold.lessons(ROOT)}[number]


def attendee_notebook(
    number: int,
    solved: set[str] | frozenset[str] = frozenset(),
    answers: dict[str, str] | None = None,
    edit: Edit | None = None,
) -> notebooks.Node:
    """Lesson `number`'s attendee copy: `solved` exercises done, `answers`
    ({exercise: code}) written in place of their stubs, the rest left as stubs;
    `edit(path, text)` may change a file cell further."""
    ls = lesson(number)
    solution = notebooks.read(ls.path)
    notebook = notebooks.read(ROOT / "notebooks" / ls.path.name)
    answers = answers or {}
    stubbed = set(ls.exercises) - set(solved) - set(answers)
    typed = {
        e: typed_in(region_solution(ls, e), ls.homes[e].path.endswith(".py"))
        for e in solved
        if e not in answers
    }
    answers = {**typed, **answers}
    for cell in notebooks.file_cells(solution.cells):
        if cell.deletes:
            continue
        text = cell.resolved(stubbed=stubbed, answers=answers)
        text = edit(cell.path, text) if edit else text
        notebook.cells[cell.index].source = file_cell_source(
            cell.path, text, cell.definitions
        )
    return notebook


def everything(number: int) -> set[str]:
    return set(lesson(number).exercises)


def code_cell(cell_id: str, source: str) -> dict[str, object]:
    return {
        "cell_type": "code",
        "id": cell_id,
        "source": source,
        "metadata": {},
        "outputs": [],
        "execution_count": None,
    }


def save(notebook: notebooks.Node | dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(notebooks.dumps(notebook), encoding="utf-8")
    return path


def zipped(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(folder.rglob("*.ipynb")):
            out.write(path, path.relative_to(folder.parent).as_posix())
    return archive


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under `folder` (links not followed), by path, with a hash."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink() and "__pycache__" not in path.parts
    }


def table_of(output: str) -> str:
    """The table in `workshop grade`'s output: from its header to the pass rate."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("attendee "))
    end = next(i for i, line in enumerate(lines) if line.startswith("pass rate"))
    return "\n".join(lines[start : end + 1])


def processes(needle: str) -> list[str]:
    """Command lines of live processes that mention `needle`."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue  # it ended meanwhile
        if needle.encode() in cmdline:
            found.append(cmdline.decode(errors="replace"))
    return found


def descendants(pid: int) -> set[int]:
    """Every live process started, directly or not, by `pid`."""
    parents: dict[int, int] = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":  # a zombie is gone, only not yet reaped
            parents[int(entry)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found
