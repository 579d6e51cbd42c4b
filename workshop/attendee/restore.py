"""`workshop restore ZIP`, or `restore("ZIP")` in a notebook: back where you were.

Takes the zip `workshop save` wrote (workshop.attendee.keep) into a fresh
session: the notebooks, the managed files exactly as they were (a managed file
the zip does not hold is removed, as a checkpoint would), the record of saves
and the backups. Whatever it replaces or removes is copied to
`.workshop/backups/<time>-before-restore/` first. A zip saved from other
lessons is refused before anything changes, and so is one that does not look
like a progress zip: every member is checked (a regular file, a path the zip
may hold, sizes within bounds) before the first byte is written.
"""

from __future__ import annotations

import json
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from workshop import disk
from workshop.attendee.keep import FORMAT, MANIFEST, RECORD, lessons_version
from workshop.child import forget_app_modules
from workshop.project import WorkshopError, find_root, is_managed, managed_on_disk

MAX_FILES = 5000
MAX_FILE_BYTES = 20 * 2**20
MAX_TOTAL_BYTES = 200 * 2**20
MAX_MANIFEST_BYTES = 2**20


def _allowed(name: str) -> bool:
    """A path the zip may hold: never absolute, never `..`, never elsewhere."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or not path.parts:
        return False
    if len(path.parts) == 2 and path.parts[0] == "notebooks":
        return path.suffix == ".ipynb"
    if name == RECORD or name.startswith(f"{disk.BACKUPS.as_posix()}/"):
        return True
    return is_managed(name)


def _read(archive: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and every member, checked and bounded before use."""
    try:
        zipped = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as error:
        raise WorkshopError(f"{archive.name} is not a zip file ({error}).") from None
    with zipped:
        infos = zipped.infolist()
        if len(infos) > MAX_FILES + 1:
            raise WorkshopError(f"{archive.name} holds more than {MAX_FILES} files.")
        names = {info.filename for info in infos}
        if MANIFEST not in names:
            raise WorkshopError(
                f"{archive.name} is not a progress zip (it has no {MANIFEST}): "
                "make one with `workshop save`, or save_progress() in a notebook."
            )
        total, files = 0, {}
        for info in infos:
            if info.is_dir():
                continue
            kind = stat.S_IFMT(info.external_attr >> 16)  # 0: written without one
            if kind not in {0, stat.S_IFREG}:
                raise WorkshopError(f"{info.filename} in the zip is not a plain file.")
            if info.filename != MANIFEST and not _allowed(info.filename):
                raise WorkshopError(
                    f"{archive.name} holds {info.filename}, which a progress zip never "
                    "holds: nothing was restored."
                )
            cap = MAX_MANIFEST_BYTES if info.filename == MANIFEST else MAX_FILE_BYTES
            with zipped.open(info) as member:
                data = member.read(cap + 1)
            total += len(data)
            if len(data) > cap or total > MAX_TOTAL_BYTES:
                raise WorkshopError(f"{info.filename} in the zip is too large.")
            files[info.filename] = data
    try:
        manifest = json.loads(files.pop(MANIFEST))
    except ValueError:
        raise WorkshopError(f"{archive.name}: its {MANIFEST} is broken.") from None
    if not isinstance(manifest, dict):
        raise WorkshopError(f"{archive.name}: its {MANIFEST} is broken.")
    return manifest, files


def _check_version(root: Path, archive: Path, manifest: dict[str, Any]) -> None:
    here = lessons_version(root)
    theirs = manifest.get("lessons")
    if manifest.get("format") != FORMAT or theirs != here:
        raise WorkshopError(
            f"{archive.name} was saved from another version of the workshop (lessons "
            f"{theirs}, saved {manifest.get('saved', 'at an unknown time')}); this "
            f"one is {here}. Its files would not fit these lessons, so nothing was "
            "restored. Restore it in a session of the version it came from (the "
            "same Binder link or git tag), or copy what you need out of the zip "
            "by hand."
        )


@dataclass(frozen=True)
class Restored:
    archive: Path
    written: list[str]
    removed: list[str]
    backup: Path | None
    root: Path

    def report(self) -> str:
        lines = [
            f"Restored {self.archive.name}: {len(self.written)} files written, "
            f"{len(self.removed)} removed."
        ]
        if self.backup is not None:
            where = self.backup.relative_to(self.root).as_posix()
            lines.append(f"What it replaced is kept in {where}/")
        if any(path.startswith("notebooks/") for path in self.written):
            lines.append(
                "Notebooks open in JupyterLab still show the old copy: reload each "
                "one (File → Reload Notebook from Disk) before you save it."
            )
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # shown in a notebook
        printer.text(self.report())


def _locate(archive: Path, root: Path) -> Path:
    """As given (from the current folder), else from the workshop folder: a
    notebook's kernel runs in notebooks/, an upload may land in either."""
    for candidate in (archive, root / archive):
        if candidate.is_file():
            return candidate
    raise WorkshopError(
        f"There is no {archive} here nor in {root}: upload the zip you downloaded "
        "into the workshop folder first."
    )


def restore(archive: Path | str, root: Path | None = None) -> Restored:
    """Bring back the progress saved in `archive`; back up whatever it replaces."""
    root = root or find_root()
    archive = _locate(Path(archive), root)
    manifest, files = _read(archive)
    _check_version(root, archive, manifest)
    current = managed_on_disk(root)
    to_write = [
        path
        for path, data in files.items()
        if not (root / path).is_file() or (root / path).read_bytes() != data
    ]
    to_remove = sorted(path for path in current if path not in files)
    replaced = [path for path in to_write if (root / path).is_file()] + to_remove
    backup = disk.back_up(root, replaced, "before-restore")  # before any change
    for path in to_write:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(files[path])
    for path in to_remove:
        (root / path).unlink()
    forget_app_modules()  # the kernel's next import reads the restored files
    return Restored(archive, sorted(to_write), to_remove, backup, root)
