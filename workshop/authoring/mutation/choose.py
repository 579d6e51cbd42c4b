"""Which exercises to measure, and which of their mutants: all, or a sample.

A sample is the same on every run and spreads over the operators: the first
mutant of each operator (in the order of their labels' hashes), then the second
of each, and so on, up to the size asked for. A weakened check then meets every
kind of mistake its exercise can have, not `size` variations of one.
"""

from __future__ import annotations

import hashlib
from itertools import chain, zip_longest

from workshop.authoring.fold import Lesson
from workshop.authoring.mutation.generate import Mutant
from workshop.project import WorkshopError


def _order(exercise: str) -> tuple[int, ...]:
    return tuple(int(part) for part in exercise.split(".") if part.isdigit())


def select(lessons: list[Lesson], wanted: list[str]) -> list[tuple[Lesson, str]]:
    """(lesson, exercise) for each id ("02.2") or lesson ("02") asked for, in the
    order of their ids; every exercise when none is asked for."""
    every = sorted(
        ((lesson, e) for lesson in lessons for e in lesson.exercises),
        key=lambda pair: _order(pair[1]),
    )
    chosen = []
    for want in wanted:
        found = [
            (lesson, e)
            for lesson, e in every
            if e == want or (want.isdigit() and lesson.number == int(want))
        ]
        if not found:
            known = ", ".join(e for _, e in every)
            raise WorkshopError(f"There is no exercise {want}; choose among {known}.")
        chosen += [pair for pair in found if pair not in chosen]
    return sorted(chosen, key=lambda pair: _order(pair[1])) if wanted else every


def _rank(mutant: Mutant) -> str:
    return hashlib.sha256(f"{mutant.exercise} {mutant.label}".encode()).hexdigest()


def sample(mutants: list[Mutant], size: int | None) -> list[Mutant]:
    """`size` of the mutants (all when None), spread over the operators, the same
    on every run, in their own order."""
    if size is None or size >= len(mutants):
        return list(mutants)
    by_operator: dict[str, list[Mutant]] = {}
    for mutant in sorted(mutants, key=_rank):
        by_operator.setdefault(mutant.operator, []).append(mutant)
    rounds = zip_longest(*(by_operator[op] for op in sorted(by_operator)))
    picked = [m for m in chain.from_iterable(rounds) if m is not None][:size]
    kept = {m.label for m in picked}
    return [m for m in mutants if m.label in kept]


def size_within(counts: list[int], budget: int) -> int | None:
    """The sample size per exercise that keeps the mutants checked within
    `budget`: None (all of them) while they fit, else the largest size that
    does (at least one each)."""
    if sum(counts) <= budget:
        return None
    size = 1
    while sum(min(n, size + 1) for n in counts) <= budget:
        size += 1
    return size
