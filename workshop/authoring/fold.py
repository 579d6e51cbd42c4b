"""The fold: lessons, and the managed files at any point of the course.

Each solution notebook is a `Lesson`: its file cells (writes and deletions) in
order, its exercises, and which file cell each exercise's region lives in.
Applying the file cells of every lesson in order gives the managed files;
`managed_files` does it once for every caller: a checkpoint (through the lesson
before), verify and build (through the last), grading and the exercise tests
(through a lesson, some of its exercises left as stubs).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from workshop.authoring import notebooks
from workshop.authoring.notebooks import DELETE, FileCell, Slot
from workshop.authoring.regions import region_ids
from workshop.checking import all_exercises
from workshop.project import (
    WorkshopError,
    is_managed,
    lesson_number,
    solution_notebooks,
)


@dataclass(frozen=True)
class Lesson:
    """One solution notebook, as the tools see it."""

    number: int
    name: str  # "01-structure"
    path: Path  # solutions/01-structure.ipynb
    cell_ids: frozenset[str]
    file_cells: tuple[FileCell, ...]  # what it writes and deletes, in order
    exercises: tuple[str, ...]  # ids with a registered check, in notebook order
    homes: dict[str, Slot]  # exercise id -> the file cell its region is in

    @property
    def bodies(self) -> dict[Slot, str]:
        """The bodies of its file-writing cells, regions and all."""
        return notebooks.bodies(self.file_cells)


def _file_cells(notebook: notebooks.Node, name: str) -> tuple[FileCell, ...]:
    cells = tuple(notebooks.file_cells(notebook.cells))
    for cell in cells:
        if not is_managed(cell.path):
            verb = "deletes" if cell.deletes else "writes"
            raise WorkshopError(
                f"{name} cell {cell.index + 1} {verb} {cell.path}, which is not a "
                "workshop file (allowed: app/, tests/, alembic/ and the deployment "
                "files)"
            )
    deleting = {c.index for c in cells if c.deletes}
    for index, cell in enumerate(notebook.cells):
        lines = cell.source.strip().splitlines() if cell.cell_type == "code" else []
        stray = any(line.lstrip().startswith(f"%{DELETE}") for line in lines)
        if stray and (index not in deleting or len(lines) > 1):
            raise WorkshopError(
                f"{name} cell {index + 1}: `%{DELETE} PATH` must be the only line "
                "of its cell, so the fold and the notebook agree."
            )
    return cells


def read_lesson(source: Path) -> Lesson:
    notebook = notebooks.read(source)
    cells = _file_cells(notebook, source.name)
    known = all_exercises()
    homes = {
        region: cell.slot
        for cell in cells
        for region in region_ids(cell.body or "")
        if region in known
    }
    return Lesson(
        number=lesson_number(source),
        name=source.stem,
        path=source,
        cell_ids=frozenset(c.get("id", "") for c in notebook.cells) - {""},
        file_cells=cells,
        exercises=tuple(homes),
        homes=homes,
    )


def lessons(root: Path) -> list[Lesson]:
    """Every lesson, in course order."""
    return [read_lesson(source) for source in solution_notebooks(root)]


@dataclass(frozen=True)
class Written:
    text: str
    notebook: str  # e.g. "03-dependencies.ipynb"
    cell: int  # 1-based, as Jupyter counts


@dataclass(frozen=True)
class Deleted:
    notebook: str
    cell: int


@dataclass
class ManagedFiles:
    """The managed files at one point of the course, each with the cell behind it."""

    written: dict[str, Written] = field(default_factory=dict)
    deleted: dict[str, Deleted] = field(default_factory=dict)  # and not written since

    def apply(
        self,
        lesson: Lesson,
        cell: FileCell,
        stubbed: Collection[str] = (),
        answers: Mapping[str, str] | None = None,
    ) -> None:
        """Change the files as `cell` does, `stubbed` exercises left as stubs and
        `answers` written in."""
        where = (lesson.path.name, cell.index + 1)
        if cell.deletes:
            self.written.pop(cell.path, None)
            self.deleted[cell.path] = Deleted(*where)
        else:
            before = self.written.get(cell.path)
            try:
                text = cell.written(before and before.text, stubbed, answers)
            except WorkshopError as error:
                raise WorkshopError(f"{where[0]} cell {where[1]}: {error}") from None
            self.deleted.pop(cell.path, None)
            self.written[cell.path] = Written(text, *where)

    def texts(self) -> dict[str, str]:
        return {path: written.text for path, written in self.written.items()}


def managed_files(
    root: Path,
    *,
    through: int | None = None,
    stubbed: Collection[str] = (),
    answers: Mapping[str, str] | None = None,
) -> ManagedFiles:
    """The managed files once the lessons up to `through` (None: all) have run,
    with the regions of the `stubbed` exercises left as their stubs and those
    in `answers` ({exercise id: code}) holding that code instead."""
    files = ManagedFiles()
    for lesson in lessons(root):
        if through is None or lesson.number <= through:
            for cell in lesson.file_cells:
                files.apply(lesson, cell, stubbed, answers)
    files.written = dict(sorted(files.written.items()))
    files.deleted = dict(sorted(files.deleted.items()))
    return files


def start_of(root: Path, lesson: int) -> ManagedFiles:
    """The managed files at the start of notebook `lesson`: the fold of the ones before."""
    numbers = [lesson_number(path) for path in solution_notebooks(root)]
    if lesson not in numbers:
        choices = ", ".join(f"{n:02d}" for n in numbers)
        raise WorkshopError(
            f"There is no notebook {lesson:02d}; choose one of {choices}."
        )
    return managed_files(root, through=lesson - 1)


def texts_before_deleting(root: Path, path: str) -> set[str]:
    """What the fold holds for `path` just before each cell that deletes it."""
    files, found = ManagedFiles(), set()
    for lesson in lessons(root):
        for cell in lesson.file_cells:
            if cell.deletes and cell.path == path and path in files.written:
                found.add(files.written[path].text)
            files.apply(lesson, cell)
    return found


def parse_lesson(text: str) -> int:
    """'4', '04' or '04-auth' → 4, with a readable error for anything else."""
    head = str(text).split("-", 1)[0].strip()
    if not head.isdigit():
        raise WorkshopError(f"{text!r} is not a notebook number: use one like 03.")
    return int(head)
