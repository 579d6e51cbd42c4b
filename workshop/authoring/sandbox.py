"""A throwaway copy of the workshop, with its managed files at a chosen lesson."""

from __future__ import annotations

import shutil
from pathlib import Path

from workshop.authoring.fold import final_files, state_at
from workshop.project import MANAGED_DIRS, is_ignored, is_managed

# Top-level names never copied: managed folders are written fresh, the rest is
# local state (a developer's .env, build output).
LEFT_BEHIND = {*MANAGED_DIRS, "build", ".env"}


def _copy_tree(root: Path, dest: Path) -> None:
    def ignore(folder: str, names: list[str]) -> list[str]:
        base = Path(folder).relative_to(root)
        return [
            name
            for name in names
            if is_ignored(base / name)
            or is_managed((base / name).as_posix())
            or (base == Path(".") and name in LEFT_BEHIND)
        ]

    shutil.copytree(root, dest, ignore=ignore, dirs_exist_ok=True)


def write_files(dest: Path, files: dict[str, str]) -> None:
    """Write managed files under `dest`, folders created as needed."""
    for path, text in files.items():
        (dest / path).parent.mkdir(parents=True, exist_ok=True)
        (dest / path).write_text(text, encoding="utf-8")


def make_sandbox(root: Path, dest: Path, lesson: int | None = None) -> Path:
    """Copy `root` to `dest`; managed files as at the start of `lesson` (None: the end)."""
    _copy_tree(root, dest)
    write_files(dest, final_files(root) if lesson is None else state_at(root, lesson))
    return dest
