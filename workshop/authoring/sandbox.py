"""A throwaway copy of the workshop, with its managed files at a chosen point."""

from __future__ import annotations

import shutil
from pathlib import Path

from workshop.authoring.fold import managed_files, start_of
from workshop.disk import write_files
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


def make_sandbox(
    root: Path,
    dest: Path,
    lesson: int | None = None,
    *,
    files: dict[str, str] | None = None,
) -> Path:
    """Copy `root` to `dest` with the managed files as at the start of `lesson`
    (None: the end of the course), or exactly `files` when given."""
    if files is None:
        fold = managed_files(root) if lesson is None else start_of(root, lesson)
        files = fold.texts()
    _copy_tree(root, dest)
    write_files(dest, files)
    return dest
