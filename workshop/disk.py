"""Changing managed files on disk: write them, or replace them after a backup.

Whatever an attendee may have written is copied to `.workshop/backups/` before it
is replaced or deleted, so nothing they wrote is ever lost.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from workshop.project import managed_on_disk

BACKUPS = Path(".workshop") / "backups"


def write_files(dest: Path, files: dict[str, str]) -> None:
    """Write managed files under `dest`, folders created as needed."""
    for path, text in files.items():
        (dest / path).parent.mkdir(parents=True, exist_ok=True)
        (dest / path).write_text(text, encoding="utf-8")


def backup_folder(root: Path, slug: str) -> Path:
    """A new folder under .workshop/backups/, named by the time and `slug`."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder, suffix = root / BACKUPS / f"{stamp}-{slug}", 1
    while folder.exists():
        suffix += 1
        folder = root / BACKUPS / f"{stamp}-{slug}-{suffix}"
    return folder


def back_up(root: Path, paths: list[str], slug: str) -> Path | None:
    """Copy `paths` (relative to `root`) into a new backup folder; None if no paths."""
    if not paths:
        return None
    folder = backup_folder(root, slug)
    for path in paths:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / path, folder / path)
    return folder


@dataclass(frozen=True)
class Restored:
    label: str  # "the start of notebook 04", "the end of the last notebook"
    written: list[str]
    removed: list[str]
    backup: Path | None  # None when nothing had to be replaced
    own: list[str] = field(default_factory=list)  # replaced files no lesson wrote


def restore(root: Path, target: dict[str, str], label: str, slug: str) -> Restored:
    """Make the managed files exactly `target`, copying whatever it replaces first."""
    current = managed_on_disk(root)
    to_write = [
        path
        for path, text in target.items()
        if path not in current or current[path].read_bytes() != text.encode()
    ]
    to_remove = sorted(current.keys() - target.keys())
    replaced = [path for path in to_write if path in current] + to_remove
    backup = back_up(root, replaced, slug)  # every copy before the first change
    write_files(root, {path: target[path] for path in to_write})
    for path in to_remove:
        (root / path).unlink()
    return Restored(label, to_write, to_remove, backup)


def report(result: Restored, root: Path) -> str:
    lines = [
        f"Files restored to {result.label}: "
        f"{len(result.written)} written, {len(result.removed)} removed."
    ]
    if result.backup is not None:
        where = result.backup.relative_to(root)
        lines.append(f"Your previous versions are saved in {where}/")
        if result.own:
            lines.append(
                "Among them, work of your own (no lesson writes these files so): "
                + ", ".join(result.own)
            )
    else:
        lines.append("Nothing of yours was replaced, so no backup was needed.")
    return "\n".join(lines)
