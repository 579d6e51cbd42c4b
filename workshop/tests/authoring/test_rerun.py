"""A notebook can be run twice in a row in one kernel, and says the same both times."""

from pathlib import Path

import nbformat
from nbclient import NotebookClient

from workshop.authoring import notebooks
from workshop.authoring.outputs import sanitizers
from workshop.authoring.sandbox import make_sandbox


def outputs(notebook: nbformat.NotebookNode) -> list[str]:
    texts = [
        "".join(o.get("text", "") for o in cell.outputs)
        for cell in notebook.cells
        if cell.cell_type == "code"
    ]
    for pattern, replacement in sanitizers():
        texts = [pattern.sub(replacement, text) for text in texts]
    return texts


def test_notebook_01_runs_twice_in_one_kernel(root: Path, tmp_path: Path) -> None:
    box = make_sandbox(root, tmp_path / "workshop", lesson=1)
    source = nbformat.from_dict(
        notebooks.read(box / "solutions" / "01-structure.ipynb")
    )
    setup, *cells = [c for c in source.cells if c.cell_type == "code"]
    again = [nbformat.v4.new_code_cell(c.source) for c in cells]
    twice = nbformat.v4.new_notebook(cells=[setup, *cells, *again])
    NotebookClient(
        twice,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(box / "solutions")}},
    ).execute()
    results = outputs(twice)[1:]
    first, second = results[: len(results) // 2], results[len(results) // 2 :]
    assert second == first
    assert "Done: every check passes" in "".join(second)
