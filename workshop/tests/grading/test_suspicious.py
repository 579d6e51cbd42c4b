"""Answers that reach for the grader are flagged; the solutions are not."""

from __future__ import annotations

from workshop.authoring import fold
from workshop.grading.alignment import template
from workshop.grading.suspicious import touches
from workshop.tests.conftest import ROOT


def test_each_way_in_is_named() -> None:
    assert touches("import gc\nx = sys.modules['a']") == [
        "the garbage collector",
        "sys.modules",
    ]
    assert touches('open("/proc/1/environ")') == ["/proc"]
    assert touches('__import__("ctypes")') == ["ctypes"]
    assert touches("    import workshop.checking as c") == ["the workshop package"]
    assert touches("sys._getframe(1).f_back.f_locals") == ["the interpreter's frames"]
    assert touches("  (unbalanced gc") == ["the garbage collector"]


def test_no_solution_is_flagged() -> None:
    for lesson in fold.lessons(ROOT):
        for exercise, slot in lesson.homes.items():
            solution = template(lesson.bodies[slot]).solutions[exercise]
            assert touches("\n".join(solution)) == [], exercise
