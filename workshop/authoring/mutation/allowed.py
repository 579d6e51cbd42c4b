"""The survivors explained by hand: `workshop/exercises/lessonNN_equivalent.py`.

Each lesson whose checks let a mutant live on purpose has, next to its checks,
a module with one dict::

    EQUIVALENT = {
        "02.2": {
            "<the mutant's label, as `workshop mutants` prints it>": "why, in one line",
        },
    }

A mutant belongs there only when nothing the exercise teaches can tell it from
the solution (a description that only documents, a message nobody ever reads).
Anything else is a check to make stronger. The allow-list is a module of its
own, not a section of the check's, so that changing a reason does not count as
changing the check (see workshop.authoring.mutation.cache).
"""

from __future__ import annotations

import importlib
import pkgutil

import workshop.exercises

SUFFIX = "_equivalent"


def explained() -> dict[str, dict[str, str]]:
    """{exercise: {label: reason}} from every lesson's allow-list."""
    found: dict[str, dict[str, str]] = {}
    for module in pkgutil.iter_modules(workshop.exercises.__path__):
        if module.name.endswith(SUFFIX):
            named = importlib.import_module(
                f"{workshop.exercises.__name__}.{module.name}"
            )
            for exercise, reasons in getattr(named, "EQUIVALENT", {}).items():
                found.setdefault(exercise, {}).update(reasons)
    return found


def problems(
    labels: dict[str, list[str]], reasons: dict[str, dict[str, str]]
) -> list[str]:
    """What is wrong with the allow-lists, given every exercise's mutant labels:
    an unknown exercise or mutant (stale), a reason missing or longer than a line."""
    found = []
    for exercise, entries in sorted(reasons.items()):
        if exercise not in labels:
            found.append(f"{exercise}: explained mutants of an exercise that has none")
            continue
        for label, reason in entries.items():
            if label not in labels[exercise]:
                found.append(f"{exercise}: no mutant is labelled {label!r} any more")
            if not reason.strip() or "\n" in reason:
                found.append(f"{exercise}: give {label!r} its reason, on one line")
    return found
