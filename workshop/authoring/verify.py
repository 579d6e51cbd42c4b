"""`workshop verify`: nothing generated or managed has drifted from `solutions/`."""

from __future__ import annotations

from pathlib import Path

from workshop.authoring import build
from workshop.authoring.fold import managed_files
from workshop.project import managed_on_disk


def notebook_problems(root: Path) -> list[str]:
    expected = build.expected(root)
    problems = []
    for path, text in expected.items():
        name = path.relative_to(root)
        if not path.exists():
            problems.append(f"{name} is missing: run `workshop build`.")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(
                f"{name} is not a fresh build of solutions/{path.name}: edit the "
                "solution, then run `workshop build`."
            )
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        if path not in expected:
            problems.append(
                f"{path.relative_to(root)} has no source in solutions/: add it "
                "there, or delete it."
            )
    return problems


def file_problems(root: Path) -> list[str]:
    expected = managed_files(root)
    on_disk = managed_on_disk(root)
    problems = []
    for path, written in expected.written.items():
        where = f"solutions/{written.notebook} (cell {written.cell})"
        if path not in on_disk:
            problems.append(f"{path} is missing; {where} writes it.")
        elif on_disk[path].read_bytes() != written.text.encode():
            problems.append(f"{path} differs from what {where} writes.")
    for path, deleted in expected.deleted.items():
        if path in on_disk:
            problems.append(
                f"{path} is still on disk, but solutions/{deleted.notebook} "
                f"(cell {deleted.cell}) deletes it: run `workshop build`."
            )
    for path in on_disk.keys() - expected.written.keys() - expected.deleted.keys():
        problems.append(
            f"{path} is a managed file that no notebook writes: add a "
            "file-writing cell for it to a solution, or delete it."
        )
    return sorted(problems)


def verify(root: Path) -> list[str]:
    return notebook_problems(root) + file_problems(root)
