"""`workshop course`: which lessons are taught, read, written and explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop import course
from workshop.project import WorkshopError

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
