"""What attendees hand in: find their workshop notebooks in a file, folder or .zip.

Nothing here runs attendee code: notebooks are read as plain JSON, matched to a
lesson by their cell ids (the build keeps them stable), and only their file
cells (`%%save_file`, `%delete_file`) are kept for grading.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from workshop.authoring import notebooks
from workshop.authoring.fold import Lesson
from workshop.authoring.notebooks import FileCell, Slot

MAX_NOTEBOOK_BYTES = 20 * 2**20
MAX_ARCHIVE_BYTES = 200 * 2**20
# Folders never searched for an attendee's notebooks.
SKIPPED = {"solutions", "__MACOSX", ".ipynb_checkpoints", ".venv", "node_modules"}


class Unreadable(Exception):
    """A submission, or a notebook in it, that cannot be graded; the message is its status."""


@dataclass(frozen=True)
class Cell:
    id: str
    source: str
    cell_type: str


@dataclass(frozen=True)
class Found:
    """One attendee notebook, matched to its lesson."""

    lesson: Lesson
    path: Path
    cells: list[Cell]

    def file_cells(self) -> list[FileCell]:
        return list(notebooks.file_cells(self.cells))

    def bodies(self) -> dict[Slot, str]:
        return notebooks.bodies(self.file_cells())


@dataclass
class Submission:
    name: str
    source: Path
    notebooks: list[Found] = field(default_factory=list)
    problem: str | None = None


def read_cells(path: Path) -> list[Cell]:
    """A notebook's cells, read as JSON without running or validating anything."""
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise Unreadable("notebook too large")
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError):
        raise Unreadable("broken notebook JSON") from None
    raw = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        raise Unreadable("not a notebook")
    cells = []
    for cell in raw:
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if not isinstance(source, str):
            raise Unreadable("not a notebook")
        cells.append(Cell(str(cell.get("id", "")), source, str(cell.get("cell_type"))))
    return cells


def match(path: Path, cells: list[Cell], known: dict[int, Lesson]) -> Lesson:
    """The lesson a notebook belongs to: by its cell ids, else by its name and files."""
    ids = {cell.id for cell in cells if cell.id}
    best = max(known.values(), key=lambda ls: len(ls.cell_ids & ids), default=None)
    if best and best.cell_ids and 2 * len(best.cell_ids & ids) >= len(best.cell_ids):
        return best
    written = {slot.path for slot in notebooks.bodies(notebooks.file_cells(cells))}
    for lesson in known.values():
        if lesson.name in path.name and written & {s.path for s in lesson.bodies}:
            return lesson
    raise Unreadable("not from this workshop")


def _notebooks_under(folder: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIPPED and not d.startswith(".")
        )
        found += [Path(dirpath, f) for f in sorted(filenames) if f.endswith(".ipynb")]
    return found


def _unzip(archive_path: Path, dest: Path) -> Path:
    """Extract only the notebooks, under `dest`, refusing paths that climb out."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = [
                m
                for m in archive.infolist()
                if m.filename.endswith(".ipynb") and not m.is_dir()
            ]
            if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
                raise Unreadable("archive too large")
            for member in members:
                parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                safe = [p for p in parts if p not in {"", ".", "..", "/"}]
                target = dest.joinpath(*safe)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as data:
                    target.write_bytes(data.read(MAX_NOTEBOOK_BYTES + 1))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Unreadable("broken zip archive") from None
    return dest


def _collect(
    submission: Submission, paths: list[Path], known: dict[int, Lesson]
) -> None:
    problems: list[str] = []
    for path in paths:
        try:
            cells = read_cells(path)
            found = Found(match(path, cells, known), path, cells)
        except Unreadable as error:
            problems.append(str(error))
            continue
        same = [
            f for f in submission.notebooks if f.lesson.number == found.lesson.number
        ]
        if not same:
            submission.notebooks.append(found)
        elif path.stem == found.lesson.name and same[0].path.stem != found.lesson.name:
            submission.notebooks[submission.notebooks.index(same[0])] = found
    submission.notebooks.sort(key=lambda f: f.lesson.number)
    if not submission.notebooks:
        submission.problem = problems[0] if problems else "no notebooks found"


def name_of(path: Path, known: dict[int, Lesson]) -> str:
    """alice/, alice.zip and alice.ipynb are "alice"; so is alice-01-structure.ipynb."""
    full = path.resolve()
    stem = full.name if full.is_dir() else full.stem
    if path.suffix == ".ipynb":
        for lesson in known.values():
            name = re.escape(lesson.name)
            bare = re.sub(rf"^{name}[-_. ]+|[-_. ]+{name}$", "", stem)
            if bare and bare != stem:
                return bare
    return stem or "submission"


def collect(
    paths: list[Path], scratch: Path, known: dict[int, Lesson]
) -> list[Submission]:
    """One submission per path, named after it (clashes get " (2)", " (3)"...)."""
    submissions: list[Submission] = []
    taken: set[str] = set()
    for index, path in enumerate(paths):
        name, suffix = name_of(path, known), 2
        while name in taken:
            name, suffix = f"{name_of(path, known)} ({suffix})", suffix + 1
        taken.add(name)
        submission = Submission(name, path)
        submissions.append(submission)
        try:
            if path.is_dir():
                _collect(submission, _notebooks_under(path), known)
            elif not path.exists():
                submission.problem = "not found"
            elif path.suffix == ".zip":
                folder = _unzip(path, scratch / f"{index:03d}")
                _collect(submission, _notebooks_under(folder), known)
            elif path.suffix == ".ipynb":
                _collect(submission, [path], known)
            else:
                submission.problem = "not a notebook"
        except Unreadable as error:
            submission.problem = str(error)
    return submissions
