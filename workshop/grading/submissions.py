"""What attendees hand in: their workshop notebooks in a file, folder or .zip.

Nothing here runs attendee code. Each notebook is read as data
(workshop.grading.reading) and matched to its lesson (workshop.grading.matching);
every notebook of a lesson is kept as a candidate (`03-dependencies.ipynb` and
`03-dependencies-Copy1.ipynb`), and the grader picks the one with the work in
it. A broken notebook in a folder is named in the submission's problems, so it
cannot hide behind the others. Only regular files are read (a link, a FIFO or a
device in a folder is a problem of its row), and every count is capped: entries
of a zip, bytes unpacked, notebooks per submission (workshop.grading.reading
caps each notebook). Row names are slugged, and clashes are problems for the
instructor to resolve (workshop.grading.names).
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from workshop.authoring.fold import Lesson
from workshop.grading import names
from workshop.grading.matching import Matcher
from workshop.grading.reading import MAX_NOTEBOOK_BYTES, Cell, Unreadable, read_cells

MAX_ARCHIVE_BYTES = 200 * 2**20  # unpacked, in all
MAX_ARCHIVE_ENTRIES = 2_000
MAX_NOTEBOOKS = 100  # per submission: a lesson has 11 notebooks, with copies
# Folders never searched for an attendee's notebooks.
SKIPPED = {"solutions", "__MACOSX", ".ipynb_checkpoints", ".venv", "node_modules"}


@dataclass(frozen=True)
class Found:
    """One attendee notebook, matched to its lesson."""

    lesson: Lesson
    path: Path
    cells: list[Cell]
    how: str = ""  # how it was matched, when not by its cell ids


@dataclass
class Submission:
    name: str
    source: Path
    candidates: dict[int, list[Found]] = field(default_factory=dict)  # by lesson
    problems: list[str] = field(default_factory=list)  # each makes the row ungraded
    notes: list[str] = field(default_factory=list)
    clashes: bool = False  # its name is another submission's: no feedback file


def _notebooks_under(folder: Path) -> list[Path]:
    """The .ipynb names under `folder`; links to folders are not followed (a
    link or a FIFO named .ipynb is listed, and refused when it is read)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIPPED and not d.startswith(".")
        )
        found += [Path(dirpath, f) for f in sorted(filenames) if f.endswith(".ipynb")]
        if len(found) > MAX_NOTEBOOKS:
            raise Unreadable(f"more than {MAX_NOTEBOOKS} notebooks")
    return found


def _unzip(archive_path: Path, dest: Path) -> Path:
    """Extract only the notebooks, under `dest`, refusing paths that climb out;
    every count is checked before anything is unpacked, every size as it is."""
    if not stat.S_ISREG(os.lstat(archive_path).st_mode):
        raise Unreadable("not a regular file (a link, a folder, a FIFO, a device)")
    try:
        with zipfile.ZipFile(archive_path) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ARCHIVE_ENTRIES:
                raise Unreadable(f"more than {MAX_ARCHIVE_ENTRIES} entries in the zip")
            members = [
                m for m in entries if m.filename.endswith(".ipynb") and not m.is_dir()
            ]
            if len(members) > MAX_NOTEBOOKS:
                raise Unreadable(f"more than {MAX_NOTEBOOKS} notebooks")
            if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
                raise Unreadable("archive too large")
            left = MAX_ARCHIVE_BYTES
            for member in members:
                parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                safe = [
                    p for p in parts if p not in {"", ".", "..", "/"} and "\0" not in p
                ]
                target = dest.joinpath(*safe)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as data:
                    body = data.read(min(MAX_NOTEBOOK_BYTES + 1, left + 1))
                left -= len(body)
                if left < 0:
                    raise Unreadable("archive too large")
                target.write_bytes(body)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        raise Unreadable("broken zip archive") from None
    return dest


def _read(
    submission: Submission, paths: list[Path], matcher: Matcher, top: Path
) -> None:
    ignored: list[str] = []
    for path in paths:
        shown = path.relative_to(top).as_posix() if path != top else path.name
        shown = names.printable(shown)
        try:
            cells = read_cells(path)
            match = matcher.match(path, cells)
        except Unreadable as error:
            if str(error) == "not from this workshop" and path != top:
                ignored.append(shown)
            else:
                submission.problems.append(
                    f"{shown}: {error}" if path != top else str(error)
                )
            continue
        found = Found(match.lesson, path, cells, match.how)
        submission.candidates.setdefault(match.lesson.number, []).append(found)
    submission.candidates = dict(sorted(submission.candidates.items()))
    if ignored and submission.candidates:
        submission.notes.append(f"not from this workshop: {', '.join(ignored)}")
    if not submission.candidates and not submission.problems:
        submission.problems.append(
            "not from this workshop" if ignored else "no notebooks found"
        )


def name_of(path: Path, known: dict[int, Lesson]) -> str:
    """alice/, alice.zip and alice.ipynb are "alice"; so is alice-01-structure.ipynb."""
    full = path.absolute()
    stem = full.name if path.is_dir() else full.stem
    if path.suffix == ".ipynb":
        for lesson in known.values():
            name = re.escape(lesson.name)
            bare = re.sub(rf"^{name}[-_. ]+|[-_. ]+{name}$", "", stem)
            if bare and bare != stem:
                return bare
    return stem or "submission"


def _collect_one(
    submission: Submission, path: Path, scratch: Path, matcher: Matcher
) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        if any(mark in path.name for mark in "*?["):
            # the shell passes a pattern that matches nothing as it was typed
            submission.problems.append(
                "no file matches this pattern (an empty folder?)"
            )
        else:
            submission.problems.append("not found")
        return
    if stat.S_ISDIR(mode):
        _read(submission, _notebooks_under(path), matcher, path)
    elif not stat.S_ISREG(mode):
        submission.problems.append(
            "not a regular file (a link, a FIFO, a device): not read"
        )
    elif path.suffix == ".zip":
        folder = _unzip(path, scratch)
        _read(submission, _notebooks_under(folder), matcher, folder)
    elif path.suffix == ".ipynb":
        _read(submission, [path], matcher, path)
    else:
        submission.problems.append("not a notebook")


def _name(path: Path, known: dict[int, Lesson]) -> str:
    try:
        return names.slug(name_of(path, known))
    except (OSError, ValueError):
        return "submission"


def _clashes(submissions: list[Submission]) -> None:
    """Two submissions one name: both rows say so, and neither gets feedback."""
    by_key: dict[str, list[Submission]] = {}
    for submission in submissions:
        by_key.setdefault(names.key(submission.name), []).append(submission)
    for group in by_key.values():
        if len(group) == 1:
            continue
        for submission in group:
            others = [
                names.printable(str(o.source)) for o in group if o is not submission
            ]
            submission.clashes = True
            # What to do first: a long path is cut short in the table.
            submission.problems.append(
                f"rename one and grade again: its name is also that of {', '.join(others)}"
            )


def collect(
    paths: list[Path], scratch: Path, known: dict[int, Lesson]
) -> list[Submission]:
    """One submission per path, named after it (slugged; two of one name are
    both a problem). Nothing that is wrong with one path stops the others."""
    matcher = Matcher(known)
    submissions: list[Submission] = []
    for index, path in enumerate(paths):
        submission = Submission(_name(path, known), path)
        submissions.append(submission)
        if names.key(submission.name) in names.RESERVED:
            submission.problems.append(
                f"{submission.name!r} is a name the report uses itself: rename the submission"
            )
            continue
        try:
            _collect_one(submission, path, scratch / f"{index:03d}", matcher)
        except Unreadable as error:
            submission.problems.append(str(error))
        except Exception as error:  # a bad input is a row, never the end of the batch
            submission.problems.append(
                f"could not be read: {type(error).__name__}: {error}"
            )
    _clashes(submissions)
    return submissions
