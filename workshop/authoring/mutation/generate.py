"""The mutants of one exercise: its solution region, changed by each operator.

The whole rendered file is parsed, but only changes whose edits lie on the
region's lines are kept, so a region that is not Python on its own (a few lines
of a function, its parameters, the keyword arguments of a call) is mutated in
place. Each change is proven: the edited text must parse to exactly the tree
the operator meant (else its whole node is written out instead), compile, and
stay inside the region; the others are dropped and counted, never run.
"""

from __future__ import annotations

import ast
import difflib
from collections import Counter
from dataclasses import dataclass, field

from workshop.authoring.fold import Lesson
from workshop.authoring.mutation import expressions, habits, shared, structure
from workshop.authoring.mutation.operators import (
    Change,
    expected,
    resolve,
    timing,
    walk,
)
from workshop.authoring.mutation.source import Edit, Source, apply
from workshop.authoring.notebooks import FileCell
from workshop.authoring.regions import Region, parse


@dataclass(frozen=True)
class Mutant:
    exercise: str
    label: str  # unique among the exercise's mutants: "constant: ge=0 → ge=1"
    operator: str
    path: str  # the file the region is in
    region: str  # the region's code, as this mutant has it
    diff: tuple[str, ...]  # the region's lines that changed, numbered as in the file


@dataclass
class Mutants:
    exercise: str
    lesson: int
    path: str
    mutants: list[Mutant] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)  # reason -> how many
    # left out by the timing rule (workshop.authoring.mutation.operators)
    excluded: int = 0

    @property
    def proposed(self) -> int:
        return len(self.mutants) + sum(self.dropped.values())


def home(lesson: Lesson, exercise: str) -> FileCell:
    """The file cell that holds the exercise's region."""
    return next(c for c in lesson.file_cells if c.slot == lesson.homes[exercise])


def region_lines(body: str, exercise: str) -> tuple[int, int]:
    """The first and last line of the region's solution in the rendered file."""
    line = 0
    for part in parse(body):
        if isinstance(part, Region) and part.id == exercise:
            return line + 1, line + len(part.solution)
        line += len(part.solution) if isinstance(part, Region) else 1
    raise LookupError(f"no region {exercise}")


def _lines(source: Source, edits: tuple[Edit, ...]) -> tuple[int, int]:
    first = min(source.text.count("\n", 0, e.start) for e in edits) + 1
    last = max(source.text.count("\n", 0, max(e.start, e.end - 1)) for e in edits) + 1
    return first, last


def _candidates(source: Source, change: Change) -> list[tuple[Edit, ...]]:
    """The change's own edits, then its whole node written out (bare, in brackets)."""
    found = [change.edits]
    if change.new is not None:
        span = source.span(resolve(source.tree, change.path))
        text = ast.unparse(change.new)
        found += [(Edit(*span, text),), (Edit(*span, f"({text})"),)]
    return found


def _text_of(source: Source, change: Change, lines: tuple[int, int]) -> str:
    """The mutated file; ValueError says why the change cannot be kept."""
    goal = ast.dump(expected(source.tree, change))
    compiled = False
    for edits in _candidates(source, change):
        first, last = _lines(source, edits)
        if first < lines[0] or last > lines[1]:
            continue
        text = apply(source.text, edits)
        try:
            if ast.dump(ast.parse(text)) != goal:
                continue
            compile(text, "<mutant>", "exec", dont_inherit=True)
        except SyntaxError:
            compiled = True
            continue
        return text
    raise ValueError(
        "does not compile" if compiled else "not expressible in the region"
    )


def _ancestors(tree: ast.AST, change: Change) -> tuple[ast.AST, tuple[ast.AST, ...]]:
    chain = [tree]
    for depth in range(1, len(change.path) + 1):
        chain.append(resolve(tree, change.path[:depth]))
    return chain[-1], tuple(chain[:-1])


def _diff(old: list[str], new: list[str], first: int) -> tuple[str, ...]:
    lines = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "equal":
            lines += [f"{first + i:>4} - {old[i]}".rstrip() for i in range(a0, a1)]
            lines += [f"{first + i:>4} + {new[i]}".rstrip() for i in range(b0, b1)]
    return tuple(lines)


def _same(written: str, mutated: str) -> bool:
    """Does the file the fold writes with this answer hold the mutant? (A region
    left empty is written as one blank line.)"""
    if written == mutated:
        return True
    try:
        return ast.dump(ast.parse(written)) == ast.dump(ast.parse(mutated))
    except SyntaxError:
        return False


def proposals(source: Source) -> list[Change]:
    return [
        change
        for node, path, ancestors in walk(source.tree)
        for change in (
            *expressions.changes(source, node, path, ancestors),
            *structure.changes(source, node, path, ancestors),
            *habits.changes(source, node, path, ancestors),
            *shared.changes(source, node, path, ancestors),
        )
    ]


def mutants_of(lesson: Lesson, exercise: str) -> Mutants:
    """The mutants of an exercise of `lesson`."""
    return mutants_in(home(lesson, exercise), exercise, lesson.number)


def mutants_in(cell: FileCell, exercise: str, lesson: int = 0) -> Mutants:
    """The mutants of the region `exercise` of a file cell (its other regions solved)."""
    found = Mutants(exercise, lesson, cell.path)
    if not cell.path.endswith(".py"):
        return found  # not Python: nothing to mutate
    text = cell.text()
    source, (first, last) = Source(text), region_lines(cell.body or "", exercise)
    old = text.split("\n")
    after = max(0, len(old) - last)  # lines below the region
    seen, labels = {text}, Counter[str]()
    for change in proposals(source):
        lines = _lines(source, change.edits)
        if lines[0] < first or lines[1] > last:
            continue  # not the region's
        if timing(*_ancestors(source.tree, change)):
            found.excluded += 1
            continue
        try:
            mutated = _text_of(source, change, (first, last))
        except ValueError as why:
            found.dropped[str(why)] += 1
            continue
        if mutated in seen:
            found.dropped["the same as another mutant"] += 1
            continue
        seen.add(mutated)
        new = mutated.split("\n")
        region = "\n".join(new[first - 1 : len(new) - after])
        if not _same(cell.text(answers={exercise: region}), mutated):
            found.dropped["not expressible in the region"] += 1
            continue
        label = f"{change.operator}: {change.before} → {change.after}"
        labels[label] += 1
        if labels[label] > 1:
            label += f" ({labels[label]})"
        diff = _diff(
            old[first - 1 : len(old) - after], new[first - 1 : len(new) - after], first
        )
        found.mutants.append(
            Mutant(exercise, label, change.operator, cell.path, region, diff)
        )
    return found
