"""How checks are named, registered, run and reported."""

from pathlib import Path

import pytest

from workshop import checking, syntax
from workshop.attendee.report import TERMINAL, answer_in, report


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


def test_counts_are_honest_when_a_check_stops_early() -> None:
    result = checking.Result(
        "01.1",
        "A title",
        steps=[checking.Step(True, "first"), checking.Step(False, "second", "got x")],
        error="KeyError: 'version' (app/routers/health.py, line 3)",
        expected=4,
    )
    assert (result.total, result.not_run, result.passed) == (4, 2, False)
    text = report(result)
    assert "  ✗ second — got got x" in text
    assert "  ✗ KeyError: 'version' (app/routers/health.py, line 3)" in text
    assert "Not yet: 1 of 4 passed, 2 not run." in text


def test_a_run_that_records_fewer_steps_than_declared_has_not_passed() -> None:
    result = checking.Result("01.1", "t", steps=[checking.Step(True, "a")], expected=2)
    assert not result.passed
    assert checking.Result("01.1", "t", steps=[checking.Step(True, "a")]).passed


def test_hints_come_one_stage_at_a_time() -> None:
    result = checking.Result(
        "01.1", "t", "nudge", [checking.Step(False, "a")], hints=["nudge", "nearer"]
    )
    first = report(result)
    assert "Hint (1 of 2): nudge" in first and "nearer" not in first
    assert 'Stuck? check("01.1", hint=2) gives a closer hint.' in first
    second = report(result, hint=2, ask=TERMINAL, answer="solutions/01-x.ipynb")
    assert "Hint (2 of 2): nearer" in second and "nudge" not in second
    assert "the answer itself is in solutions/01-x.ipynb." in second
    assert "Hint (2 of 2): nearer" in report(result, hint=7)
    passed = checking.Result("01.1", "t", "nudge", [checking.Step(True, "a")])
    assert "Hint" not in report(passed)


def test_the_answer_is_in_the_lessons_solution(root: Path) -> None:
    assert answer_in(root, "01.2") == "solutions/01-structure.ipynb"


def test_a_file_that_does_not_compile_is_named_once(tmp_path: Path) -> None:
    (tmp_path / "app" / "routers").mkdir(parents=True)
    (tmp_path / "app" / "main.py").write_text("x = 1\n")
    (tmp_path / "app" / "routers" / "health.py").write_text("def f(:\n    pass\n")
    broken = syntax.first_broken(tmp_path)
    assert broken is not None
    assert broken.path == "app/routers/health.py"
    assert broken.message.startswith("app/routers/health.py, line 1: SyntaxError: ")
    assert syntax.first_broken(tmp_path, folder="tests") is None


def test_a_check_on_a_broken_file_runs_no_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "config.py").write_text("x = (\n")
    monkeypatch.chdir(tmp_path)
    result = checking.check_in_process("01.3")
    assert result.steps == []
    assert result.blocked == "app/config.py does not import"
    text = report(result)
    assert text.count("app/config.py, line") == 1
    assert "Not yet: 0 of 2 passed, 2 not run: app/config.py does not import." in text


def test_explain_names_the_file_of_a_syntax_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    error = SyntaxError("invalid syntax", (str(tmp_path / "tests/t.py"), 4, 1, "x"))
    assert checking.explain(error) == "tests/t.py, line 4: SyntaxError: invalid syntax"
