"""`workshop save`, or `save_progress()` in a notebook: your progress in one zip.

A Binder session is deleted after a few minutes idle, with every file in it. The
zip holds what an attendee made, so `workshop restore` (workshop.attendee.restore)
can bring it back into a fresh session: the notebooks of `notebooks/`, every
managed file (`app/`, `tests/`, `alembic/`, the deployment files), the record of
what the notebooks saved, and the backups. Its manifest names the version of
the lessons it was saved from, since files of one version do not fit another.
In a notebook the answer is a link that downloads the zip in one click.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workshop.authoring import notebooks
from workshop.disk import BACKUPS
from workshop.project import find_root, managed_on_disk, solution_notebooks

ARCHIVE = "workshop-progress.zip"
MANIFEST = "workshop-progress.json"
FORMAT = 1
RECORD = ".workshop/saved.json"  # workshop.attendee.saving's record of saves


def lessons_version(root: Path) -> str:
    """A short hash of the lessons' cells (outputs aside): two checkouts with the
    same lessons get the same, whatever their outputs or the day they ran."""
    digest = hashlib.sha256()
    for path in solution_notebooks(root):
        digest.update(path.name.encode() + b"\0")
        for cell in notebooks.read(path).cells:
            text = f"{cell.get('id')}\0{cell.get('cell_type')}\0{cell.source}\0"
            digest.update(text.encode())
    return digest.hexdigest()[:16]


def members(root: Path) -> dict[str, Path]:
    """What the zip holds, by path relative to the root."""
    found = {
        f"notebooks/{p.name}": p for p in sorted((root / "notebooks").glob("*.ipynb"))
    }
    found.update(managed_on_disk(root))
    if (root / RECORD).is_file():
        found[RECORD] = root / RECORD
    backups = root / BACKUPS
    if backups.is_dir():
        for path in sorted(backups.rglob("*")):
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = path
    return found


@dataclass(frozen=True)
class Saved:
    archive: Path
    files: int
    version: str

    def report(self) -> str:
        return (
            f"Saved your progress ({self.files} files) in {self.archive}. Download "
            "it; in a new session, upload it and run "
            f"`workshop restore {self.archive.name}` in a terminal, or "
            f'restore("{self.archive.name}") in a notebook.'
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # shown in a notebook
        printer.text(self.report())

    def _repr_html_(self) -> str:
        """JupyterLab downloads a local link with a `download` attribute, relative
        to the notebook, instead of opening it."""
        link = Path(os.path.relpath(self.archive, Path.cwd())).as_posix()
        name = html.escape(self.archive.name)
        return (
            f"<p>Saved your progress ({self.files} files). "
            f'<a href="{html.escape(link)}" download="{name}">⬇ Download {name}</a> '
            f"and keep it. In a new session, upload it and run "
            f'<code>restore("{name}")</code> (or <code>workshop restore {name}</code> '
            "in a terminal).</p>"
        )


def save_progress(root: Path | None = None, dest: Path | None = None) -> Saved:
    """Write workshop-progress.zip (in `dest`, default the workshop folder)."""
    root = root or find_root()
    archive = (dest or root) / ARCHIVE
    found = members(root)
    version = lessons_version(root)
    manifest = {
        "format": FORMAT,
        "lessons": version,
        "saved": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": sorted(found),
    }
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(archive.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(MANIFEST, json.dumps(manifest, indent=1) + "\n")
        for name, path in found.items():
            out.write(path, name)
    partial.replace(archive)  # a download never gets half a zip
    return Saved(archive, len(found), version)
