"""The files a job grades: the lesson's, with the attendee's code in its place.

By default only the exercise regions come from the submission: every other
line of every file is the lesson's own, so an edit elsewhere (flagged by
workshop.grading.work) cannot help or harm. With `whole_files`, the attendee's
file cells are written as they are, in order, over the lesson's start.

Each file that differs from the lesson's is compiled here, without running it;
an exercise whose code does not compile is named with its file and line and
left as its stub, so the lesson's other exercises are still graded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workshop.authoring.definitions import merge
from workshop.authoring.fold import Lesson, ManagedFiles
from workshop.authoring.notebooks import FileCell
from workshop.grading.alignment import attendee_lines
from workshop.grading.work import Work
from workshop.project import WorkshopError, is_managed


@dataclass
class Composed:
    files: dict[str, str]  # that differ from the template, by path
    deleted: tuple[str, ...] = ()
    broken: dict[str, str] = field(default_factory=dict)  # exercise -> syntax error
    errors: list[str] = field(default_factory=list)  # syntax errors, whole files
    skipped: list[str] = field(default_factory=list)  # cells that cannot be written


def syntax_error(path: str, text: str) -> str | None:
    """ "app/x.py, line 3: invalid syntax", or None when `path` compiles (or is not
    Python)."""
    if not path.endswith(".py"):
        return None
    try:
        compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as error:
        return f"{path}, line {error.lineno}: {error.msg}"
    except (ValueError, RecursionError, MemoryError, OverflowError) as error:
        return f"{path}: {type(error).__name__}: {error}"
    return None


def writable(path: str, template: dict[str, str]) -> bool:
    """A path a file cell may write: a workshop file, not a folder, nothing odd."""
    if not is_managed(path) or path.endswith("/") or any(ord(c) < 32 for c in path):
        return False
    return not any(other.startswith(path + "/") for other in template)


class Composer:
    """One lesson: its files before it starts, and what its cells make of them."""

    def __init__(self, lesson: Lesson, start: ManagedFiles) -> None:
        self.lesson, self.start = lesson, start
        self.template = self._fold({})

    def _fold(self, answers: dict[str, str]) -> dict[str, str]:
        files = ManagedFiles(dict(self.start.written), dict(self.start.deleted))
        for cell in self.lesson.file_cells:
            files.apply(self.lesson, cell, self.lesson.exercises, answers)
        return files.texts()

    def _changed(self, files: dict[str, str]) -> dict[str, str]:
        return {p: t for p, t in files.items() if self.template.get(p) != t}

    def regions(self, work: Work) -> Composed:
        answers = {e: "\n".join(a.lines) for e, a in work.answers.items() if a.started}
        broken = {}
        for exercise, code in answers.items():
            path = self.lesson.homes[exercise].path
            error = syntax_error(path, self._fold({exercise: code}).get(path, ""))
            if error:
                broken[exercise] = error
        kept = {e: code for e, code in answers.items() if e not in broken}
        changed = self._changed(self._fold(kept))
        errors = [e for p, t in changed.items() if (e := syntax_error(p, t))]
        return Composed(changed, broken=broken, errors=errors)

    def whole(self, cells: list[FileCell]) -> Composed:
        files = dict(self.template)
        skipped: list[str] = []
        merged: list[str] = []  # definitions cells that could not be written
        for cell in cells:
            if not writable(cell.path, self.template):
                skipped.append(cell.path)
            elif cell.deletes:
                files.pop(cell.path, None)
            elif cell.definitions:  # written into the file as the lesson has it
                body = "\n".join(attendee_lines(cell.body or ""))
                try:
                    files[cell.path] = merge(files.get(cell.path), body, cell.path)
                except WorkshopError as error:
                    merged.append(str(error))
            else:
                files[cell.path] = "\n".join(attendee_lines(cell.body or "")) + "\n"
        changed = self._changed(files)
        errors = [e for p, t in changed.items() if (e := syntax_error(p, t))]
        errors = merged + errors
        deleted = tuple(sorted(self.template.keys() - files.keys()))
        return Composed(changed, deleted, errors=errors, skipped=skipped)
