"""`workshop checkpoint NN`: catch up to the start of a lesson without losing work."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from pathlib import Path

from workshop.authoring.fold import lessons, managed_files, start_of
from workshop.disk import Restored, restore
from workshop.project import managed_on_disk


def catch_up(root: Path, lesson: int) -> Restored:
    """The managed files as at the start of `lesson`, yours backed up first; the
    report names the files that held work of your own."""
    target = start_of(root, lesson).texts()  # a bad lesson raises before any change
    before = {
        path: p.read_text(errors="replace") for path, p in managed_on_disk(root).items()
    }
    label = f"the start of notebook {lesson:02d}"
    restored = restore(root, target, label, f"before-{lesson:02d}")
    written = lesson_texts(root)
    own = [
        path
        for path in [*restored.written, *restored.removed]
        if path in before and before[path] not in written[path]
    ]
    return dataclasses.replace(restored, own=sorted(own))


def lesson_texts(root: Path) -> dict[str, set[str]]:
    """Every text a lesson leaves a managed file in, solved or with its stubs."""
    texts: dict[str, set[str]] = defaultdict(set)
    for lesson in lessons(root):
        for stubbed in (set(), set(lesson.exercises)):
            files = managed_files(root, through=lesson.number, stubbed=stubbed)
            for path, text in files.texts().items():
                texts[path].add(text)
    return texts
