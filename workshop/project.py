"""Where things live in a workshop checkout, and which files the notebooks own."""

from __future__ import annotations

import os
from pathlib import Path

# Everything the solution notebooks write. A file under one of these folders, or
# one of these top-level files, is managed: only a notebook may change it.
MANAGED_DIRS = ("app", "tests", "alembic")
MANAGED_FILES = (
    "alembic.ini",
    "Dockerfile",
    ".dockerignore",
    "docker-compose.yml",
    "gunicorn.conf.py",
    ".env.example",
)
# Never copied, never compared: caches and local state.
IGNORED_NAMES = {
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".ipynb_checkpoints",
    ".git",
    ".venv",
    ".workshop",
}
IGNORED_SUFFIXES = (".pyc", ".db", ".sqlite3", ".db-journal")


class WorkshopError(Exception):
    """A problem the user can fix; the message says how."""


def find_root(start: Path | None = None) -> Path:
    """The checkout that holds `start` (default: the current folder)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "solutions").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    raise WorkshopError(
        f"{here} is not inside the workshop: run this from the folder you cloned "
        "(the one with solutions/ and pyproject.toml)."
    )


def is_managed(relpath: str) -> bool:
    parts = Path(relpath).parts
    if not parts or Path(relpath).is_absolute() or ".." in parts:
        return False
    return (parts[0] in MANAGED_DIRS and len(parts) > 1) or relpath in MANAGED_FILES


def is_ignored(path: Path) -> bool:
    return bool(IGNORED_NAMES.intersection(path.parts)) or path.name.endswith(
        IGNORED_SUFFIXES
    )


def managed_on_disk(root: Path) -> dict[str, Path]:
    """Managed files that exist now, by path relative to the root."""
    found: dict[str, Path] = {}
    for name in MANAGED_FILES:
        if (root / name).is_file():
            found[name] = root / name
    for top in MANAGED_DIRS:
        for dirpath, dirnames, filenames in os.walk(root / top):
            dirnames[:] = sorted(d for d in dirnames if d not in IGNORED_NAMES)
            for filename in filenames:
                path = Path(dirpath, filename)
                if not is_ignored(path.relative_to(root)):
                    found[path.relative_to(root).as_posix()] = path
    return dict(sorted(found.items()))


def solution_notebooks(root: Path) -> list[Path]:
    return sorted((root / "solutions").glob("[0-9][0-9]-*.ipynb"))


def lesson_number(notebook: Path) -> int:
    return int(notebook.name[:2])
