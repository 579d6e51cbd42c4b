"""Folding file-writing cells: the managed files as the solutions leave them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workshop.authoring import notebooks
from workshop.project import WorkshopError, lesson_number, solution_notebooks


@dataclass(frozen=True)
class Written:
    text: str
    notebook: str  # e.g. "03-dependencies.ipynb"
    cell: int  # 1-based, as Jupyter counts


def fold(sources: list[Path]) -> dict[str, Written]:
    """Apply the file-writing cells of `sources`, in order; later writes win."""
    files: dict[str, Written] = {}
    for source in sources:
        notebook = notebooks.read(source)
        for cell in notebooks.file_cells(notebook, source.name):
            files[cell.path] = Written(cell.text, source.name, cell.index + 1)
    return dict(sorted(files.items()))


def lesson_numbers(root: Path) -> list[int]:
    return [lesson_number(path) for path in solution_notebooks(root)]


def state_at(root: Path, lesson: int) -> dict[str, str]:
    """Managed files at the start of notebook `lesson`: the fold of the ones before."""
    if lesson not in lesson_numbers(root):
        choices = ", ".join(f"{n:02d}" for n in lesson_numbers(root))
        raise WorkshopError(
            f"There is no notebook {lesson:02d}; choose one of {choices}."
        )
    earlier = [p for p in solution_notebooks(root) if lesson_number(p) < lesson]
    return {path: written.text for path, written in fold(earlier).items()}


def final_state(root: Path) -> dict[str, Written]:
    return fold(solution_notebooks(root))


def final_files(root: Path) -> dict[str, str]:
    """Managed files as the last notebook leaves them."""
    return {path: written.text for path, written in final_state(root).items()}


def parse_lesson(text: str) -> int:
    """'4', '04' or '04-auth' → 4, with a readable error for anything else."""
    head = str(text).split("-", 1)[0].strip()
    if not head.isdigit():
        raise WorkshopError(f"{text!r} is not a notebook number: use one like 03.")
    return int(head)
