"""Fixtures for the tooling's tests: the real checkout, and throwaway copies of it."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from workshop.authoring import notebooks
from workshop.authoring.notebooks import file_cell_source
from workshop.authoring.sandbox import make_sandbox
from workshop.grading import cache
from workshop.project import find_root

ROOT = find_root(Path(__file__))
LEGACY, MODERN = "app/legacy.py", "app/modern.py"


@pytest.fixture(scope="session", autouse=True)
def kept_grades(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`workshop grade` keeps its grades in a folder of the session's, never in a
    checkout (a test that fingerprints one would see them), and subprocesses
    inherit that."""
    folder = tmp_path_factory.mktemp("kept-grades")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(cache.ELSEWHERE, str(folder))
        yield folder


@pytest.fixture(autouse=True)
def no_grades_kept_from_other_tests(kept_grades: Path) -> None:
    """Each test grades afresh: a sandbox test must run its jobs, not find
    another test's grades."""
    shutil.rmtree(kept_grades, ignore_errors=True)


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def workshop_copy(tmp_path: Path) -> Path:
    """A full copy of the workshop, managed files as the last notebook leaves them."""
    return make_sandbox(ROOT, tmp_path / "workshop")


def add_lesson(root: Path, name: str, *sources: str) -> Path:
    """Add a solution notebook `name` to the copy at `root`, one code cell a source."""
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"{name}-{number}",
            "metadata": {},
            "outputs": [],
            "source": source,
        }
        for number, source in enumerate(sources)
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = root / "solutions" / f"{name}.ipynb"
    path.write_text(notebooks.dumps(notebook), encoding="utf-8")
    return path


@pytest.fixture
def moved(workshop_copy: Path) -> Path:
    """The copy with two more lessons: 90 writes app/legacy.py; 91 writes
    app/modern.py, then deletes app/legacy.py (its cell 2)."""
    add_lesson(workshop_copy, "90-legacy", file_cell_source(LEGACY, "OLD = True"))
    add_lesson(
        workshop_copy,
        "91-moving",
        file_cell_source(MODERN, "NEW = True"),
        file_cell_source(LEGACY, None),
    )
    return workshop_copy


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
    }
