"""Each exercise's check opens with its contract: the properties it holds the
answer to, under the exercise's id, each naming the cases that exercise it."""

import inspect
import re

import pytest

from workshop import checking

EXERCISES = sorted(checking.all_exercises())


@pytest.mark.parametrize("exercise", EXERCISES)
def test_the_check_module_states_the_exercise_properties(exercise: str) -> None:
    module = inspect.getmodule(checking.all_exercises()[exercise].function)
    text = (module.__doc__ or "") if module else ""
    assert "Properties, each with the cases that exercise it:" in text
    section = re.search(
        rf"^{re.escape(exercise)} \(.+?\)\n((?:- .+\n(?:  .+\n)*)+)", text, re.M
    )
    assert section is not None, f"no properties under {exercise} in the docstring"
    rules = re.findall(r"^- ", section.group(1), re.M)
    assert rules, f"{exercise} states no property"
