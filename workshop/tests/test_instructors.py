"""INSTRUCTORS.md's grading section is right: its commands run, its table is real.

A small class is handed in the way the section says (`workshop submit`, a
notebook, a folder), put in `../submissions/` beside a copy of the workshop, and
every `workshop` command of the section's shell blocks is run there as written.
The example table in the section must be the table `workshop grade` prints.
"""

from __future__ import annotations

import glob
import re
import shlex
from pathlib import Path

import pytest

from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.handin import submit
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import attendee_notebook, everything, save, table_of

WRONG_INFO = '@router.get("/info")\ndef read_info() -> dict[str, str]:\n    return {"name": "me"}'


def section() -> str:
    text = (ROOT / "INSTRUCTORS.md").read_text(encoding="utf-8")
    return text.split("## Grading a class", 1)[1].split("\n## ", 1)[0]


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", section(), flags=re.DOTALL)


def hand_in(tmp: Path) -> Path:
    """The class: ada zips her work with `workshop submit`, bo hands in one
    notebook, cy a folder with a broken notebook in it."""
    submissions = tmp / "submissions"
    ada = make_sandbox(ROOT, tmp / "ada")
    for path in (ada / "notebooks").glob("*.ipynb"):
        if path.name[:2] not in ("00", "01", "02"):  # she stopped after 02
            path.unlink()
    save(attendee_notebook(1, everything(1)), ada / "notebooks" / "01-structure.ipynb")
    save(attendee_notebook(2, everything(2)), ada / "notebooks" / "02-schemas.ipynb")
    submit("ada", ada, submissions)
    bo = attendee_notebook(1, {"01.1"}, {"01.2": WRONG_INFO})
    save(bo, submissions / "bo-01-structure.ipynb")
    save(attendee_notebook(1, {"01.3"}), submissions / "cy" / "01-structure.ipynb")
    (submissions / "cy" / "02-schemas.ipynb").write_text('{"cells": [')
    return submissions


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, int, str]]:
    """Each `workshop grade` command of the section, run from a checkout beside
    the submissions: (command, exit status, output)."""
    tmp = tmp_path_factory.mktemp("instructors")
    hand_in(tmp)
    checkout = make_sandbox(ROOT, tmp / "workshop")
    commands = [
        line.strip()
        for block in blocks("bash")
        for line in block.splitlines()
        if line.strip().startswith("workshop grade")
    ]
    results = []
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(checkout)
        for command in commands:
            words = shlex.split(command)[1:]
            arguments = [
                found
                for word in words
                for found in (sorted(glob.glob(word)) if "*" in word else [word])
            ]
            output = tmp / "output.txt"
            with output.open("w", encoding="utf-8") as stream:
                mp.setattr("sys.stdout", stream)
                status = main(arguments)
                mp.undo()
                mp.chdir(checkout)
            results.append((command, status, output.read_text(encoding="utf-8")))
    return results


def test_the_section_shows_how_to_grade_and_filter() -> None:
    commands = " ".join(blocks("bash"))
    for option in (
        "--csv",
        "--json",
        "--gradebook",
        "--feedback",
        "--failed",
        "--attendee",
    ):
        assert option in commands
    assert "workshop submit" in section() and "workshop doctor" in section()


def test_each_command_runs_and_the_example_table_is_what_it_prints(ran: list) -> None:
    assert ran, "the section has `workshop grade` commands"
    for command, status, output in ran:
        assert status == 1, command  # cy's broken notebook
        assert "attendee" in output, command
    example = blocks("text")[0].strip()
    assert table_of(example) == table_of(ran[0][2])


def test_the_files_the_section_names_are_written(
    ran: list, tmp_path_factory: pytest.TempPathFactory
) -> None:
    checkout = next(
        Path(p)
        for p in glob.glob(
            str(tmp_path_factory.getbasetemp() / "instructors*" / "workshop")
        )
    )
    for name in ("grades.csv", "grades.json", "gradebook.csv"):
        assert (checkout / name).is_file(), name
    assert sorted(p.name for p in (checkout / "feedback").iterdir()) == [
        "ada.md",
        "bo.md",
        "cy.md",
    ]
    assert (checkout / "gradebook.csv").read_text() == blocks("text")[1]
