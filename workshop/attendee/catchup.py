"""`workshop checkpoint NN`: catch up to the start of a lesson without losing work."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workshop.authoring.fold import final_files, state_at
from workshop.authoring.sandbox import write_files
from workshop.project import managed_on_disk

BACKUPS = Path(".workshop") / "backups"


@dataclass(frozen=True)
class Restored:
    label: str  # "the start of notebook 04", "the end of the last notebook"
    written: list[str]
    removed: list[str]
    backup: Path | None  # None when nothing had to be replaced


def _backup_folder(root: Path, slug: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder, suffix = root / BACKUPS / f"{stamp}-{slug}", 1
    while folder.exists():
        suffix += 1
        folder = root / BACKUPS / f"{stamp}-{slug}-{suffix}"
    return folder


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
    backup = _backup_folder(root, slug) if replaced else None
    for path in replaced:  # every copy is made before the first change
        (backup / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(current[path], backup / path)
    write_files(root, {path: target[path] for path in to_write})
    for path in to_remove:
        (root / path).unlink()
    return Restored(label, to_write, to_remove, backup)


def checkpoint(root: Path, lesson: int) -> Restored:
    target = state_at(root, lesson)  # a bad lesson raises before anything changes
    label = f"the start of notebook {lesson:02d}"
    return restore(root, target, label, f"before-{lesson:02d}")


def finish(root: Path) -> Restored:
    """The managed files as the last solution leaves them (what `build` writes)."""
    return restore(
        root, final_files(root), "the end of the last notebook", "before-build"
    )


def describe(result: Restored, root: Path) -> str:
    lines = [
        f"Files restored to {result.label}: "
        f"{len(result.written)} written, {len(result.removed)} removed."
    ]
    if result.backup is not None:
        where = result.backup.relative_to(root)
        lines.append(f"Your previous versions are saved in {where}/")
    else:
        lines.append("Nothing of yours was replaced, so no backup was needed.")
    return "\n".join(lines)
