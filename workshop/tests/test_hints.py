"""Hints come in stages and never give the code away."""

import re
from pathlib import Path

import pytest

from workshop import checking
from workshop.authoring import notebooks
from workshop.authoring.regions import Region, parse
from workshop.project import find_root, solution_notebooks

ROOT = find_root(Path(__file__))
# Lines too short or too common to give an answer away ("return None", "]").
SHORTEST = 12


def normalized(text: str) -> str:
    """Code or prose with all white space removed, trailing commas dropped."""
    return re.sub(r"\s+", "", text).rstrip(",")


def solution_lines() -> dict[str, list[str]]:
    """Per exercise, the normalized lines of its solution region(s)."""
    found: dict[str, list[str]] = {}
    for source in solution_notebooks(ROOT):
        for cell in notebooks.read(source).cells:
            for part in parse(cell.source) if cell.cell_type == "code" else []:
                if isinstance(part, Region):
                    lines = [normalized(line) for line in part.solution]
                    code = [line for line in lines if not line.startswith("#")]
                    found.setdefault(part.id, []).extend(
                        line for line in code if len(line) >= SHORTEST
                    )
    return found


SOLUTIONS = solution_lines()


def test_every_exercise_has_a_nudge_and_a_closer_hint() -> None:
    for ex in checking.all_exercises().values():
        assert len(ex.hints) >= 2, ex.id
        assert len(set(ex.hints)) == len(ex.hints), f"{ex.id}: the same hint twice"
        assert ex.steps >= 1, ex.id


@pytest.mark.parametrize("exercise_id", sorted(checking.all_exercises()))
def test_no_hint_holds_a_line_of_the_solution(exercise_id: str) -> None:
    lines = SOLUTIONS[exercise_id]
    assert lines, f"no solution code found for {exercise_id}"
    for stage, hint in enumerate(checking.all_exercises()[exercise_id].hints, 1):
        leaked = [line for line in lines if line in normalized(hint)]
        assert leaked == [], f"hint {stage} of {exercise_id} gives away {leaked}"


def test_the_leak_test_would_see_a_leak() -> None:
    line = SOLUTIONS["01.3"][0]
    assert line in normalized(f"Write  {line.replace('=', ' = ')},  that is all.")


def test_registering_needs_two_hints_and_the_steps() -> None:
    with pytest.raises(ValueError, match="hints=\\(nudge, closer\\)"):
        checking.exercise("99.1", "x", hints=("only one",), steps=1)
    with pytest.raises(ValueError, match="steps="):
        checking.exercise("99.1", "x", hints=("a", "b"), steps=0)
    assert "99.1" not in checking.EXERCISES
