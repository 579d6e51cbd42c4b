"""`workshop build`: the attendee notebooks and the managed files, from the solutions."""

from __future__ import annotations

import json
from pathlib import Path

from workshop.authoring import notebooks
from workshop.authoring.fold import managed_files
from workshop.authoring.regions import render
from workshop.disk import Restored, restore
from workshop.project import solution_notebooks

# Cell metadata that describes a run, not the lesson.
_RUN_METADATA = ("execution", "collapsed", "scrolled")


def attendee_copy(solution: notebooks.Node) -> notebooks.Node:
    """Solution regions become stubs; outputs and execution counts go."""
    notebook = json.loads(json.dumps(solution), object_hook=notebooks.Node)
    for cell in notebook.cells:
        for key in _RUN_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.source = render(cell.source, stub=True)
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata.pop("widgets", None)
    return notebook


def expected(root: Path) -> dict[Path, str]:
    """Every attendee notebook's exact text, keyed by its path."""
    return {
        root / "notebooks" / source.name: notebooks.dumps(
            attendee_copy(notebooks.read(source))
        )
        for source in solution_notebooks(root)
    }


def build_notebooks(root: Path) -> list[Path]:
    """Write the attendee notebooks; return the ones that changed."""
    (root / "notebooks").mkdir(exist_ok=True)
    changed = []
    for path, text in expected(root).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def build_files(root: Path) -> Restored:
    """Write the managed files as the last solution leaves them, backing up and
    removing whatever differs (a file a lesson deleted included)."""
    return restore(
        root,
        managed_files(root).texts(),
        "the end of the last notebook",
        "before-build",
    )
