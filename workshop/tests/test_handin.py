"""`workshop submit`: the attendee's notebooks in one zip the grader takes as is."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.handin import slug, submit
from workshop.project import WorkshopError, solution_notebooks
from workshop.tests.conftest import ROOT


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return make_sandbox(ROOT, tmp_path / "workshop")


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
    with zipfile.ZipFile(handed.archive) as archive:
        assert "notebooks/Untitled.ipynb" in archive.namelist()  # the grader names it


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
