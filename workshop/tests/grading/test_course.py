"""A course of some lessons: grading counts its exercises, and only those."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import attendee_notebook, save, table_of


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sandbox(ROOT, tmp_path_factory.mktemp("instructor") / "workshop")


def grade(
    checkout: Path, notebook: Path, *flags: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, list[dict[str, str]]]:
    book = notebook.parent / f"{notebook.stem}-gradebook.csv"
    monkeypatch.chdir(checkout)
    status = main(["grade", str(notebook), "--gradebook", str(book), *flags])
    with book.open(encoding="utf-8") as rows:
        return status, list(csv.DictReader(rows))


def test_a_course_counts_its_lessons_whether_handed_in_or_not(
    tmp_path: Path,
    checkout: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notebook = save(attendee_notebook(1, {"01.2"}), tmp_path / "dana-01.ipynb")
    status, book = grade(
        checkout, notebook, "--course", "01-02", monkeypatch=monkeypatch
    )
    out = capsys.readouterr().out
    header = table_of(out).splitlines()[0].split()
    assert [c for c in header if c[:2] in ("01", "02")] == [
        "01.1", "01.2", "01.3", "02.1", "02.2", "02.3",
    ], out  # fmt: skip
    assert "1/6" in table_of(out).splitlines()[1], out
    assert status == 0  # nothing to look at: lesson 02 is simply not handed in
    assert [k for k in book[0] if k[:2] in ("01", "02")] == header[1:7]


def test_a_lesson_outside_the_course_is_not_graded_and_says_so(
    tmp_path: Path,
    checkout: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notebook = save(attendee_notebook(1, {"01.2"}), tmp_path / "eli-01.ipynb")
    (checkout / ".workshop").mkdir(exist_ok=True)
    monkeypatch.chdir(checkout)
    assert main(["course", "02"]) == 0
    try:
        _, book = grade(checkout, notebook, monkeypatch=monkeypatch)
    finally:
        assert main(["course", "all"]) == 0
    out = capsys.readouterr().out
    assert "01.1" not in table_of(out), out
    assert "0/3" in table_of(out).splitlines()[1], out
    assert "01 is not in the course" in out, out
    assert not [k for k in book[0] if k.startswith("01")]
