"""A cell that prints something else in the attendee copy has a note naming its exercise."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from workshop import child
from workshop.authoring import notebooks
from workshop.authoring.contradictions import contradictions
from workshop.authoring.nbval_capture import ENV, read_captured
from workshop.authoring.outputs import comparable

EXERCISES = ["01.1", "01.2"]


def stdout(text: str) -> list[dict[str, Any]]:
    return [{"output_type": "stream", "name": "stdout", "text": text}]


def lesson(*cells: tuple[str, str, str, list[dict[str, Any]]]) -> notebooks.Node:
    """A solution notebook from (id, type, source, outputs) tuples."""
    made = []
    for cell_id, kind, source, outputs in cells:
        cell = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": source}
        if kind == "code":
            cell |= {"outputs": outputs, "execution_count": 1}
        made.append(cell)
    notebook = {"cells": made, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return notebooks.loads(json.dumps(notebook))


def problems(markdown: str, source: str = "show(x)", tags: Any = None) -> list[str]:
    solution = lesson(
        ("m", "markdown", markdown, []),
        ("c", "code", source, stdout("200 OK\n")),
    )
    if tags:
        solution.cells[1].metadata["tags"] = tags
    return contradictions(
        "nb.ipynb", solution, {"c": stdout("404 Not Found\n")}, EXERCISES
    )


def test_a_differing_cell_without_a_note_is_named() -> None:
    [problem] = problems("## See it working")
    assert problem.startswith("nb.ipynb cell 2 (id c, `show(x)`) prints something else")
    assert "the solution prints '200 OK', the copy '404 Not Found'" in problem
    assert "01.1, 01.2" in problem


def test_a_note_naming_an_exercise_of_the_lesson_is_enough() -> None:
    assert problems("Text.\n\n> **Until you finish exercise 01.2**, a 404.") == []


def test_a_note_must_be_a_blockquote_naming_this_lessons_exercise() -> None:
    assert problems("Until you finish exercise 01.2, a 404.")  # not a blockquote
    assert problems("> **Until you finish exercise 02.1**, a 404.")  # other lesson
    assert problems("> **Until you finish exercise 01.12**, a 404.")  # no such id


def test_cells_that_differ_by_design_are_left_out() -> None:
    assert problems("", source='check("01.1")') == []
    assert (
        problems(
            "",
            source="%%save_file app/x.py\n### BEGIN SOLUTION 01.1\nx = 1\n"
            "### END SOLUTION",
        )
        == []
    )
    assert problems("", tags=["nbval-ignore-output"]) == []
    assert problems("", source="# NBVAL_IGNORE_OUTPUT\nshow(x)") == []


def test_outputs_compare_as_nbval_compares_them() -> None:
    assert comparable(stdout("5 passed in 0.05s\n")) == comparable(
        stdout("5 passed in 1.20s\n")
    )
    stderr = [{"output_type": "stream", "name": "stderr", "text": "5\n"}]
    assert comparable(stdout("5\n")) != comparable(stderr)
    split = stdout("a\n") + stdout("b\n")
    assert comparable(split) == comparable(stdout("a\nb\n"))


def test_the_nbval_plugin_keeps_each_cells_outputs(tmp_path: Path) -> None:
    notebook = lesson(
        ("one", "code", "print('hello')", []), ("two", "code", "1 + 1", [])
    )
    (tmp_path / "t.ipynb").write_text(notebooks.dumps(notebook))
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
    )
    captured = tmp_path / "captured"
    captured.mkdir()
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "--nbval-lax",
        "--nbval-current-env",
        "-p",
        "no:cacheprovider",
        "-p",
        "workshop.authoring.nbval_capture",
        "t.ipynb",
    ]
    env = child.environment(**{ENV: str(captured)})
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
    outputs = read_captured(captured, "t.ipynb")
    assert outputs is not None
    assert comparable(outputs["one"]) == {"stdout": ["hello\n"]}
    assert comparable(outputs["two"]) == {"text/plain": ["2"]}
    assert read_captured(captured, "other.ipynb") is None
