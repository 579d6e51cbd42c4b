"""`workshop submit NAME`, or `submit("NAME")` in a notebook: hand in your work.

Builds `NAME.zip` in the workshop folder with every notebook in `notebooks/`,
read the way the grader reads them, and says what the grader would trip over: a
notebook that is not valid JSON (it is handed in anyway, and the grader will
name it), two copies of one lesson (the grader grades the one with your work,
but delete the other to be sure), a notebook the grader does not recognise, a
file cell that is not valid Python, a lesson with no notebook, and a hand-in
with no answer at all. `workshop grade` takes the zip as it is and names the
row after it. Joined to the room's board, it also hands the zip in there.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop.attendee import room
from workshop.authoring import fold
from workshop.authoring.notebooks import FileCell
from workshop.grading.matching import Matcher
from workshop.grading.reading import Unreadable, file_cells, read_cells
from workshop.grading.work import read_work
from workshop.project import WorkshopError, find_root


@dataclass
class Handed:
    archive: Path
    notebooks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    board: str | None = None  # what the room's board said, when joined to one

    def report(self) -> str:
        lines = [f"Wrote {self.archive} with {len(self.notebooks)} notebook(s)."]
        lines += [f"! {warning}" for warning in self.warnings]
        if self.warnings:
            lines.append(
                "Fix what is marked with ! if you can, then run this again; "
                "otherwise hand the file in as it is."
            )
        elif self.board is None:
            lines.append("Hand this file in as it is.")
        if self.board is not None:
            lines.append(self.board)
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # shown in a notebook
        printer.text(self.report())


def slug(name: str) -> str:
    """The attendee's name as the zip's (and so the grading row's) name."""
    text = re.sub(r"[^\w.-]+", "-", name.strip()).strip(".-")
    if not text:
        raise WorkshopError("Give your name, e.g. `workshop submit ada-lovelace`.")
    return text


def _check(root: Path, paths: list[Path]) -> list[str]:
    lessons = {lesson.number: lesson for lesson in fold.lessons(root)}
    matcher = Matcher(lessons)
    warnings: list[str] = []
    seen: dict[str, list[str]] = {}
    answered = 0
    for path in paths:
        try:
            cells = read_cells(path)
            match = matcher.match(path, cells)
        except Unreadable as error:
            warnings.append(
                f"{path.name}: {error}; open it in Jupyter and save it again"
            )
            continue
        seen.setdefault(match.lesson.name, []).append(path.name)
        mine = file_cells(cells)
        warnings += _syntax_errors(path.name, mine)
        answered += len(read_work(match.lesson, mine).started)
    for lesson, names in seen.items():
        if len(names) > 1:
            warnings.append(
                f"{len(names)} copies of {lesson} ({', '.join(names)}): the grader "
                "grades the one with the most work; delete the others to be sure"
            )
    missing = [ls.name for ls in lessons.values() if ls.name not in seen]
    if missing:
        warnings.append(
            f"no notebook for {', '.join(missing)}: if you worked on it, it was "
            "renamed or moved out of notebooks/"
        )
    if not answered:
        warnings.append(
            "no exercise holds an answer of yours: is this the folder you worked in?"
        )
    return warnings


def _syntax_errors(notebook: str, cells: list[FileCell]) -> list[str]:
    """A Python file cell that does not compile fails every check of its file."""
    found = []
    for cell in cells:
        if cell.body is None or not cell.path.endswith(".py"):
            continue
        try:
            compile(cell.text(), cell.path, "exec", dont_inherit=True)
        except SyntaxError as error:
            found.append(
                f"{notebook}: the cell that writes {cell.path} is not valid Python "
                f"({error.msg}, line {error.lineno}): its exercises will fail"
            )
    return found


def submit(name: str, root: Path | None = None, dest: Path | None = None) -> Handed:
    """Write NAME.zip (in `dest`, default the workshop folder) and say what to fix."""
    root = root or find_root()
    paths = sorted((root / "notebooks").glob("*.ipynb"))
    if not paths:
        raise WorkshopError(f"There are no notebooks in {root / 'notebooks'}.")
    archive = (dest or root) / f"{slug(name)}.zip"
    handed = Handed(archive, [p.name for p in paths], _check(root, paths))
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in paths:
            out.write(path, f"notebooks/{path.name}")
    handed.board = room.hand_in(root, archive)
    return handed
