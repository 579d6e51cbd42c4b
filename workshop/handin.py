"""`workshop submit NAME`, or `submit("NAME")` in a notebook: hand in your work.

Builds `NAME.zip` in the workshop folder with every notebook in `notebooks/`,
read the way the grader reads them, and says what the grader would trip over: a
notebook that is not valid JSON (it is handed in anyway, and the grader will
name it), two copies of one lesson (the grader grades the one with your work,
but delete the other to be sure), a notebook the grader does not recognise.
`workshop grade` takes the zip as it is and names the row after it.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop.authoring import fold
from workshop.grading.matching import Matcher
from workshop.grading.reading import Unreadable, read_cells
from workshop.project import WorkshopError, find_root


@dataclass
class Handed:
    archive: Path
    notebooks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"Wrote {self.archive} with {len(self.notebooks)} notebook(s)."]
        lines += [f"! {warning}" for warning in self.warnings]
        lines.append(
            "Hand this file in as it is."
            if not self.warnings
            else "Fix what is marked with ! if you can, then run this again; "
            "otherwise hand the file in as it is."
        )
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
    for path in paths:
        try:
            match = matcher.match(path, read_cells(path))
        except Unreadable as error:
            warnings.append(
                f"{path.name}: {error}; open it in Jupyter and save it again"
            )
            continue
        seen.setdefault(match.lesson.name, []).append(path.name)
    for lesson, names in seen.items():
        if len(names) > 1:
            warnings.append(
                f"{len(names)} copies of {lesson} ({', '.join(names)}): the grader "
                "grades the one with the most work; delete the others to be sure"
            )
    return warnings


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
    return handed
