"""The file cells in a kernel: `%%save_file PATH` writes, `%delete_file PATH` deletes.

A save says what changed (workshop.attendee.changes) and keeps hand edits: each
save records a hash of what it wrote in `.workshop/saved.json`, and a file on
disk that is neither what the notebook last saved nor anything a lesson writes
was edited by hand since, so it is copied to `.workshop/backups/` before it is
replaced, and the message says where. Both make the next import read the files
as they are now, without a kernel restart.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from workshop import disk
from workshop.attendee.changes import what_changed, writes_of
from workshop.authoring.definitions import merge
from workshop.authoring.fold import texts_before_deleting
from workshop.authoring.notebooks import file_text, resolved
from workshop.child import forget_app_modules
from workshop.project import WorkshopError, is_managed

RECORD = Path(".workshop") / "saved.json"


def _refuse(path: str, done: str, do: str) -> str:
    return (
        f"Not {done}: {path} is not a workshop file. Cells {do} files under app/, "
        "tests/ or alembic/, or the deployment files."
    )


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _record(root: Path) -> dict[str, str]:
    """What each save wrote last: {path: sha256 of the text}."""
    try:
        found = json.loads((root / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _remember(root: Path, path: str, text: str | None) -> None:
    record = _record(root)
    if text is None:
        record.pop(path, None)
    else:
        record[path] = _digest(text.encode())
    (root / RECORD).parent.mkdir(parents=True, exist_ok=True)
    (root / RECORD).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")


def _drop_bytecode(target: Path) -> None:
    """An old .pyc with the same size and second as a new file would win."""
    for stale in target.parent.glob(f"__pycache__/{target.stem}.*.pyc"):
        stale.unlink()


def save_file(root: Path, path: str, body: str, definitions: bool = False) -> str:
    """Write a managed file, the way the fold writes it; say what changed.

    With `definitions`, the body's definitions are written into the file on disk
    (workshop.authoring.definitions), so the attendee's other code stays."""
    if not is_managed(path):
        return _refuse(path, "saved", "save")
    target, text = root / path, file_text(body)
    before = target.read_text(encoding="utf-8") if target.is_file() else None
    if definitions:
        try:
            text = merge(before, resolved(body), path)
        except WorkshopError as error:
            return f"Not saved: {error}"
    writes = writes_of(root, path)
    kept = None
    if target.is_file():
        current = target.read_bytes()
        known = {t.encode() for write in writes for t in write.texts}
        by_hand = current not in known and _record(root).get(path) != _digest(current)
        if by_hand and current != text.encode():
            kept = disk.back_up(root, [path], "before-save")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    _remember(root, path, text)
    _drop_bytecode(target)
    forget_app_modules()
    message = what_changed(
        path, text, writes, resolved(body) if definitions else None, before
    )
    if kept is not None:
        where = (kept / path).relative_to(root)
        message += (
            f"\nThe file had been edited outside this notebook since it last saved "
            f"it; that version is kept in {where}"
        )
    return message


def delete_file(root: Path, path: str) -> str:
    """Delete a managed file, first backing it up unless it is exactly what the
    lessons wrote there. The line it returns is the same whether or not the file
    was there, so a second run of the notebook says the same."""
    if not is_managed(path):
        return _refuse(path, "deleted", "delete")
    target = root / path
    if target.is_file():
        text = target.read_bytes()
        if text not in {t.encode() for t in texts_before_deleting(root, path)}:
            disk.back_up(root, [path], "before-delete")
        target.unlink()
    _remember(root, path, None)
    _drop_bytecode(target)
    forget_app_modules()
    return (
        f"Deleted {path} (if you had changed it, your version is kept in "
        ".workshop/backups/)"
    )
