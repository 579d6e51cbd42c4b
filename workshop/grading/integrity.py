"""Did attendee code change the checks under them? A snapshot, then a comparison.

For a lesson judged in its sandbox, checks run in the same process as the
attendee's app (a lesson judged outside runs none there, see
workshop.grading.judge, and is still compared), so the app could replace
`Checker.expect`, a check function, `secrets.token_hex` (to know the "random"
values) or a builtin. Before any attendee code is imported the job keeps a
reference to every attribute of the modules below (and to each function's
code); after each check it compares by identity. A change voids the lesson's
results. Code that puts everything back before the comparison is not caught
here: the static flags (workshop.grading.suspicious) and the diff are for that.
"""

from __future__ import annotations

import sys
from typing import Any

from workshop.checking import all_exercises

# Modules whose attributes nothing in an app has a reason to replace.
WATCHED = (
    "builtins",
    "json",
    "os",
    "random",
    "secrets",
    "workshop.checking",
    "workshop.grading.integrity",
    "workshop.grading.protocol",
    "workshop.grading.worker",
)
Snapshot = dict[str, Any]
# The builtins this module uses, bound before any attendee code: replacing
# builtins.vars to hide a change would take naming this module (flagged).
_vars, _callable, _getattr, _isinstance = vars, callable, getattr, isinstance


def _watched() -> list[str]:
    lessons = [name for name in sys.modules if name.startswith("workshop.exercises.")]
    return [*WATCHED, *sorted(lessons)]


def _members(name: str, value: Any) -> dict[str, Any]:
    """`value` and its code, when it is something that runs (data changes)."""
    if not _callable(value) and not _isinstance(value, type(sys)):
        return {}
    found = {name: value}
    code = _getattr(value, "__code__", None)
    if code is not None:
        found[f"{name}.__code__"] = code
    return found


def take() -> Snapshot:
    """Every watched object, by a readable name."""
    seen: Snapshot = {}
    for module_name in _watched():
        module = sys.modules.get(module_name)
        seen[f"sys.modules[{module_name!r}]"] = module
        for attribute, value in _vars(module).items() if module else ():
            seen.update(_members(f"{module_name}.{attribute}", value))
            if _isinstance(value, type) and value.__module__ == module_name:
                for member, inner in _vars(value).items():
                    where = f"{module_name}.{attribute}.{member}"
                    seen.update(_members(where, inner))
                    if _isinstance(inner, property):  # e.g. Result.passed
                        seen[where] = inner
                        seen.update(_members(f"{where}.fget", inner.fget))
    for exercise_id, exercise in all_exercises().items():
        seen[f"the check {exercise_id}"] = exercise
        seen.update(_members(f"the check {exercise_id}'s function", exercise.function))
    return seen


def changes(before: Snapshot) -> list[str]:
    """The names in `before` that now hold another object, or are gone."""
    now = take()
    missing = object()
    return [
        name for name, value in before.items() if now.get(name, missing) is not value
    ]
