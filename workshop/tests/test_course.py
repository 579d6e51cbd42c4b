"""`workshop course`: which lessons are taught, read, written and explained."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workshop import course
from workshop.attendee import lab
from workshop.authoring import notebooks
from workshop.project import WorkshopError, solution_notebooks
from workshop.tests.conftest import ROOT

LESSONS = range(1, 11)


@pytest.mark.parametrize(
    ("text", "lessons"),
    [
        ("01-06", {1, 2, 3, 4, 5, 6}),
        ("1-3", {1, 2, 3}),
        ("01,03,05-07", {1, 3, 5, 6, 7}),
        (" 04 , 04 ", {4}),
        ("10", {10}),
    ],
)
def test_lessons_and_ranges_are_read(text: str, lessons: set[int]) -> None:
    assert course.parse(text, LESSONS) == frozenset(lessons)


def test_all_is_every_lesson() -> None:
    assert course.parse("all", LESSONS) is None
    assert course.parse(" ALL ", LESSONS) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("06-01", "runs backwards: write 01-06"),
        ("01-x", "is not a lesson or a range"),
        ("00-03", "there is no lesson 00"),
        ("09-12", "there is no lesson 11, 12: the lessons are 01-10"),
        (",", "name at least one lesson"),
        ("", "name at least one lesson"),
    ],
)
def test_a_bad_course_is_refused_with_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(WorkshopError, match=says):
        course.parse(text, LESSONS)


def test_a_label_names_the_runs() -> None:
    assert course.label({1, 2, 3, 5, 7, 8}) == "01-03, 05, 07-08"
    assert course.label(None) == "all"


def test_a_course_is_kept_and_forgotten(tmp_path: Path) -> None:
    assert course.load(tmp_path) is None
    course.save(tmp_path, frozenset({2, 3}))
    assert course.load(tmp_path) == frozenset({2, 3})
    course.save(tmp_path, None)
    assert course.load(tmp_path) is None
    assert not (tmp_path / course.FILE).exists()


def test_a_damaged_course_file_says_how_to_mend_it(tmp_path: Path) -> None:
    (tmp_path / course.FILE).parent.mkdir()
    (tmp_path / course.FILE).write_text("[1, 2", encoding="utf-8")
    with pytest.raises(WorkshopError, match="set it again with `workshop course`"):
        course.load(tmp_path)


def checkout(folder: Path) -> Path:
    """A checkout as far as the course needs one: the repository's lessons."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "solutions").symlink_to(ROOT / "solutions")
    (folder / "pyproject.toml").touch()
    return folder


def header(number: int) -> tuple[str, str]:
    """A lesson's title and stated minutes, read here from its first cell."""
    path = next(
        p for p in solution_notebooks(ROOT) if p.name.startswith(f"{number:02d}-")
    )
    first = notebooks.read(path).cells[0].source
    minutes = re.search(r"\*\*Time:\*\* about (\d+) minutes", first)
    assert minutes, path
    return first.splitlines()[0].removeprefix("# "), minutes.group(1)


def test_without_a_course_notebook_00_says_every_lesson(tmp_path: Path) -> None:
    said = course.outline(checkout(tmp_path))
    count = len(course.available(ROOT))
    assert count == 10
    assert said.startswith("Your course: all ten lessons, with the times in the map")
    assert "\n" not in said  # the map above it lists them


def test_a_course_lists_its_lessons_with_the_times_they_state(tmp_path: Path) -> None:
    root = checkout(tmp_path)
    course.save(root, frozenset({2, 4, 5}))
    first, *rows = course.outline(root).splitlines()
    headers = [header(n) for n in (2, 4, 5)]
    total = sum(int(minutes) for _, minutes in headers)
    assert first == f"Your course: lessons 02, 04-05, about {total} minutes."
    assert rows == [f"  {title} (about {m} minutes)" for title, m in headers]


@pytest.mark.parametrize(
    ("kept", "says"),
    [
        ("[1, 2", "is not a course (Expecting"),
        ('{"lessons": ["one"]}', "is not a course (invalid literal"),
        ('{"lessons": [1, 42]}', "names lessons this checkout lacks (42)"),
    ],
)
def test_show_course_explains_a_bad_course_file_in_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kept: str,
    says: str,
) -> None:
    root = checkout(tmp_path)
    (root / course.FILE).parent.mkdir()
    (root / course.FILE).write_text(kept, encoding="utf-8")
    monkeypatch.setattr(lab, "root", lambda: root)
    lab.show_course()
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1 and says in printed
    assert printed.rstrip().endswith("set it again with `workshop course`")
