"""Every plausible wrong answer in `wrong_answers/` fails its exercise's check."""

import importlib
import pkgutil
from pathlib import Path

import pytest

from workshop import checking, notebooks
from workshop.project import lesson_number, solution_notebooks
from workshop.regions import parse
from workshop.sandbox import make_sandbox, write_files
from workshop.tests import wrong_answers

ROOT = Path(__file__).resolve().parents[2]
CASES = [
    (exercise, what, code)
    for module in pkgutil.iter_modules(wrong_answers.__path__)
    for exercise, answers in importlib.import_module(
        f"{wrong_answers.__name__}.{module.name}"
    ).WRONG.items()
    for what, code in answers.items()
]


def with_answer(body: str, exercise: str, code: str) -> str:
    """`body` with the solution of `exercise` replaced by `code`, other regions solved."""
    lines: list[str] = []
    for part in parse(body):
        if isinstance(part, str):
            lines.append(part)
        elif part.id == exercise:
            lines.extend(code.split("\n"))
        else:
            lines.extend(part.solution)
    return "\n".join(lines)


def sandbox_with(tmp_path: Path, exercise: str, code: str) -> Path:
    lesson = int(exercise.split(".")[0])
    source = next(p for p in solution_notebooks(ROOT) if lesson_number(p) == lesson)
    box = make_sandbox(ROOT, tmp_path / "workshop", lesson)
    cells = [c for c in notebooks.read(source).cells if c.cell_type == "code"]
    bodies = filter(None, (notebooks.parse_file_cell(c.source) for c in cells))
    write_files(
        box,
        {
            path: with_answer(body, exercise, code).rstrip() + "\n"
            for path, body in bodies
        },
    )
    return box


def test_every_exercise_has_three_wrong_answers() -> None:
    counts = {e: sum(case[0] == e for case in CASES) for e in checking.all_exercises()}
    assert {e: n for e, n in counts.items() if n < 3} == {}


@pytest.mark.parametrize(
    ("exercise", "what", "code"), CASES, ids=[f"{e} {w}" for e, w, _ in CASES]
)
def test_the_check_refuses_a_wrong_answer(
    tmp_path: Path, exercise: str, what: str, code: str
) -> None:
    result = checking.run(sandbox_with(tmp_path, exercise, code), exercise)
    assert not result.passed, f"{exercise} passed with {what}"
