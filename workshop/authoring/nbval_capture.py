"""A pytest plugin for the nbval run of the attendee notebooks: keep each cell's outputs.

nbval's lax mode runs every cell and compares nothing. Loaded with
`-p workshop.authoring.nbval_capture` and `WORKSHOP_CAPTURE` set to a folder, it
appends each cell's outputs to `<folder>/<notebook name>.jsonl`, one line a cell,
so the outputs can be compared with the solution's afterwards
(workshop.authoring.contradictions) without running the notebooks again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ENV = "WORKSHOP_CAPTURE"


def captured_path(folder: Path, notebook: str) -> Path:
    return folder / f"{notebook}.jsonl"


def pytest_runtest_teardown(item: Any, nextitem: Any) -> None:
    folder = os.environ.get(ENV)
    cell, outputs = getattr(item, "cell", None), getattr(item, "test_outputs", None)
    if not folder or cell is None or outputs is None:
        return
    record = {"id": cell.get("id"), "outputs": outputs}
    path = captured_path(Path(folder), Path(str(item.fspath)).name)
    with path.open("a", encoding="utf-8") as lines:
        lines.write(json.dumps(record) + "\n")


def read_captured(folder: Path, notebook: str) -> dict[str, list[Any]] | None:
    """{cell id: outputs} for one notebook; None when it did not run."""
    path = captured_path(folder, notebook)
    if not path.exists():
        return None
    cells = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {cell["id"]: cell["outputs"] for cell in cells}
