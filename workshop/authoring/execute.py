"""`workshop execute NN`: run a solution from a fresh kernel and store its outputs.

It runs in a sandbox at the lesson's checkpoint, exactly as the notebook tests do,
so the stored outputs are the ones nbval expects.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from workshop import child, timeouts
from workshop.authoring import notebooks
from workshop.authoring.sandbox import make_sandbox
from workshop.project import WorkshopError, lesson_number, solution_notebooks


def coalesce_streams(outputs: list) -> list:
    """One output per run of stdout (or stderr), however the kernel chunked it."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and output.get("output_type") == previous.get("output_type") == "stream"
            and output.get("name") == previous.get("name")
        ):
            previous["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def execute(root: Path, lesson: int) -> Path:
    matches = [p for p in solution_notebooks(root) if lesson_number(p) == lesson]
    if not matches:
        raise WorkshopError(f"There is no solution notebook {lesson:02d}.")
    import nbformat  # slow to import: only here, where notebooks run
    from nbclient import NotebookClient

    source = matches[0]
    notebook = nbformat.from_dict(notebooks.read(source))
    with tempfile.TemporaryDirectory(prefix="workshop-execute-") as tmp:
        sandbox = make_sandbox(root, Path(tmp) / "workshop", lesson)
        NotebookClient(
            notebook,
            timeout=timeouts.NOTEBOOK_CELL,
            kernel_name="python3",
            resources={"metadata": {"path": str(sandbox / "solutions")}},
        ).execute(
            # Outputs must not depend on the settings of the machine that made
            # them; the kernel imports the sandbox's own copy of the tools, as an
            # attendee's does.
            env=child.environment(PYTHONPATH=str(sandbox))
        )
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    notebook.metadata["language_info"] = {"name": "python"}
    source.write_text(notebooks.dumps(notebook), encoding="utf-8")
    return source
