"""`start("03")`: are the files where lesson 03 starts? If not, how to catch up.

A fresh clone holds the finished service, so an attendee who opens a lesson may
meet files from later lessons. Each lesson's setup cell calls `start`, which says
one of three things:

- the files are exactly at the start of the lesson;
- they differ only in files this lesson writes: it was run before;
- anything else: how many files differ, which, and the one line that catches up.
"""

from __future__ import annotations

from pathlib import Path

from workshop.authoring.fold import lessons, start_of
from workshop.project import managed_on_disk

SHOWN = 3  # file names listed before "…"


def differing(root: Path, lesson: int) -> list[str]:
    """The managed files that are not as at the start of `lesson` (or are missing)."""
    target = start_of(root, lesson).texts()
    on_disk = managed_on_disk(root)
    return sorted(
        path
        for path in target.keys() | on_disk.keys()
        if path not in on_disk
        or path not in target
        or on_disk[path].read_bytes() != target[path].encode()
    )


def written_by(root: Path, lesson: int) -> set[str]:
    """Every path the lesson's file cells write or delete."""
    return {
        cell.path
        for found in lessons(root)
        if found.number == lesson
        for cell in found.file_cells
    }


def where(root: Path, lesson: int) -> str:
    """What `start(lesson)` prints."""
    name = f"{lesson:02d}"
    paths = differing(root, lesson)
    if not paths:
        return f"Your files are at the start of lesson {name}."
    if set(paths) <= written_by(root, lesson):
        return f"Your files are as lesson {name} leaves them (you ran it before)."
    listed = ", ".join(paths[:SHOWN]) + (", …" if len(paths) > SHOWN else "")
    count = (
        "1 of your files differs"
        if len(paths) == 1
        else f"{len(paths)} of your files differ"
    )
    return (
        f"{count} from the start of lesson {name} ({listed}): to catch up, run "
        f'checkpoint("{name}") — your files are backed up first.'
    )
