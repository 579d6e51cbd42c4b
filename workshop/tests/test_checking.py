"""How checks are named and registered."""

import pytest

from workshop import checking


@pytest.mark.parametrize(
    ("exercise_id", "lesson"),
    [("04.2", 4), ("01.10", 1), ("00.9", 0), ("4", 4), ("abc", None), (".1", None)],
)
def test_the_lesson_of_an_exercise(exercise_id: str, lesson: int | None) -> None:
    assert checking.lesson_of(exercise_id) == lesson


def test_a_lessons_exercises_are_its_registered_checks_in_order() -> None:
    assert checking.exercises_of(1) == ["01.1", "01.2", "01.3"]
    assert checking.exercises_of(99) == []
    for exercise_id in checking.all_exercises():
        assert exercise_id in checking.exercises_of(checking.lesson_of(exercise_id))
