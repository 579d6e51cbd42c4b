"""The copy each notebook is graded in: the lesson's end, its exercises stubs."""

from pathlib import Path

from workshop.grading.grade import Grader
from workshop.tests.conftest import LEGACY, MODERN


def test_the_template_is_the_lesson_end_with_its_exercises_stubbed(
    root: Path, tmp_path: Path
) -> None:
    grader = Grader(root, tmp_path, timeout=10)
    box = grader.template(grader.lessons[1])
    health = (box / "app" / "routers" / "health.py").read_text()
    assert '"version"' not in health  # 01.1 is a stub
    assert not (box / "app" / "schemas").exists()  # nothing from lesson 02


def test_the_template_honours_a_deletion(moved: Path, tmp_path: Path) -> None:
    grader = Grader(moved, tmp_path, timeout=10)
    assert (grader.template(grader.lessons[90]) / LEGACY).is_file()
    assert not (grader.template(grader.lessons[91]) / LEGACY).exists()
    assert (grader.template(grader.lessons[91]) / MODERN).is_file()
