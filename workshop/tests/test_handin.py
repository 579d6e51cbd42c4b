"""`workshop submit`: the attendee's notebooks in one zip the grader takes as is."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from workshop.attendee.room import join
from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.handin import slug, submit
from workshop.project import WorkshopError, solution_notebooks
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import attendee_notebook, everything, save
from workshop.tests.room.conftest import CODE, served_board


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A workshop copy in which the attendee did lesson 01's exercises."""
    root = make_sandbox(ROOT, tmp_path / "workshop")
    save(attendee_notebook(1, everything(1)), root / "notebooks" / "01-structure.ipynb")
    return root


def test_the_zip_holds_every_notebook_and_is_named_after_the_attendee(
    checkout: Path,
) -> None:
    handed = submit("Ada Lovelace", checkout)
    assert handed.archive == checkout / "Ada-Lovelace.zip"
    with zipfile.ZipFile(handed.archive) as archive:
        names = archive.namelist()
    assert names == [
        f"notebooks/{p.name}" for p in sorted((checkout / "notebooks").glob("*.ipynb"))
    ]
    assert handed.warnings == []
    assert handed.report().endswith("Hand this file in as it is.")


def test_copies_and_broken_notebooks_are_warned_about(
    checkout: Path, tmp_path: Path
) -> None:
    notebooks = checkout / "notebooks"
    (notebooks / "03-dependencies-Copy1.ipynb").write_bytes(
        (notebooks / "03-dependencies.ipynb").read_bytes()
    )
    (notebooks / "Untitled.ipynb").write_text('{"cells": [')
    handed = submit("bo", checkout, tmp_path / "out")
    assert handed.archive == tmp_path / "out" / "bo.zip"
    assert handed.warnings == [
        "Untitled.ipynb: broken notebook JSON; open it in Jupyter and save it again",
        "2 copies of 03-dependencies (03-dependencies-Copy1.ipynb, 03-dependencies.ipynb): "
        "the grader grades the one with the most work; delete the others to be sure",
    ]
    assert "Hand this file in as it is." not in handed.report()
    with zipfile.ZipFile(handed.archive) as archive:
        assert "notebooks/Untitled.ipynb" in archive.namelist()  # the grader names it


def test_an_empty_hand_in_a_syntax_error_and_a_missing_lesson_are_warned_about(
    tmp_path: Path,
) -> None:
    root = make_sandbox(ROOT, tmp_path / "workshop")
    assert submit("cy", root).warnings == [
        "no exercise holds an answer of yours: is this the folder you worked in?"
    ]
    broken = attendee_notebook(
        1,
        everything(1),
        edit=lambda path, text: text + ("def (:\n" if path == "app/main.py" else ""),
    )
    save(broken, root / "notebooks" / "01-structure.ipynb")
    (root / "notebooks" / "04-auth.ipynb").unlink()
    warnings = submit("cy", root).warnings
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith(
        "01-structure.ipynb: the cell that writes app/main.py is not valid Python"
    )
    assert warnings[1].startswith("no notebook for 04-auth:")


def test_a_name_is_needed() -> None:
    assert slug(" ada/../lovelace ") == "ada-..-lovelace"  # no folder in it
    with pytest.raises(WorkshopError, match="Give your name"):
        slug("../")


def test_the_command_says_where_the_zip_is(
    checkout: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(checkout)
    assert main(["submit", "cy"]) == 0
    lessons = len(solution_notebooks(checkout))
    assert capsys.readouterr().out.startswith(
        f"Wrote {checkout / 'cy.zip'} with {lessons} notebook(s)."
    )


def test_joined_to_a_board_the_zip_is_handed_in_there(
    checkout: Path, tmp_path: Path
) -> None:
    (tmp_path / "board").mkdir()
    with served_board(tmp_path / "board") as board:
        assert join(checkout, board.url, CODE, "Ada Lovelace").startswith("You joined")
        handed = submit("ada", checkout)
        kept = tmp_path / "board" / "handins" / "Ada-Lovelace.zip"
        assert handed.board == (
            f"Handed in to the board at {board.url} as Ada-Lovelace.zip: your "
            "instructor has it."
        )
        assert handed.report().endswith(handed.board)
        assert kept.read_bytes() == handed.archive.read_bytes()
        (checkout / "notebooks" / "02-schemas.ipynb").unlink()
        submit("ada", checkout)  # again: the newer one replaces it
        with zipfile.ZipFile(kept) as archive:
            assert "notebooks/02-schemas.ipynb" not in archive.namelist()
