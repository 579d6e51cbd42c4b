"""The fold: lessons read from the solutions, and the managed files at any point."""

from pathlib import Path

import pytest

from workshop.authoring.fold import (
    Deleted,
    lessons,
    managed_files,
    start_of,
    texts_before_deleting,
)
from workshop.authoring.notebooks import Slot, file_cell_source
from workshop.project import WorkshopError
from workshop.tests.conftest import LEGACY as OLD
from workshop.tests.conftest import MODERN as NEW
from workshop.tests.conftest import add_lesson


def test_every_lesson_knows_its_file_cells_and_exercises(root: Path) -> None:
    structure = next(lesson for lesson in lessons(root) if lesson.number == 1)
    assert structure.name == "01-structure"
    assert structure.exercises == ("01.1", "01.2", "01.3")
    assert structure.homes["01.1"] == Slot("app/routers/health.py", 0)
    assert {cell.path for cell in structure.file_cells} >= {"app/main.py"}
    assert all(slot in structure.bodies for slot in structure.homes.values())


def test_a_deleted_file_leaves_the_fold_at_its_cell(moved: Path) -> None:
    assert managed_files(moved, through=90).written[OLD].text == "OLD = True\n"
    after = managed_files(moved)
    assert OLD not in after.written and NEW in after.written
    assert after.deleted[OLD] == Deleted("91-moving.ipynb", 2)
    assert OLD not in start_of(moved, 91).deleted
    assert texts_before_deleting(moved, OLD) == {"OLD = True\n"}


def test_a_later_write_brings_a_deleted_file_back(moved: Path) -> None:
    add_lesson(moved, "92-back", file_cell_source(OLD, "OLD = False"))
    files = managed_files(moved)
    assert files.written[OLD].text == "OLD = False\n"
    assert OLD not in files.deleted


def test_stubbed_exercises_are_stubs_in_their_lesson_only(root: Path) -> None:
    solved = managed_files(root, through=1).written["app/routers/health.py"].text
    stubbed = managed_files(root, through=1, stubbed={"01.1"}).texts()
    assert stubbed["app/routers/health.py"] != solved
    assert (
        stubbed["app/main.py"] == managed_files(root, through=1).texts()["app/main.py"]
    )


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (
            file_cell_source("../outside.py", None),
            "deletes ../outside.py, which is not",
        ),
        (file_cell_source("notes.txt", "x"), "writes notes.txt, which is not"),
        (f"x = 1\n{file_cell_source(OLD, None)}", "must be the only line"),
        (f"{file_cell_source(OLD, None)}\nx = 1", "must be the only line"),
    ],
)
def test_a_file_cell_the_fold_cannot_follow_is_refused(
    workshop_copy: Path, source: str, problem: str
) -> None:
    add_lesson(workshop_copy, "90-broken", source)
    with pytest.raises(WorkshopError, match=problem):
        managed_files(workshop_copy)
