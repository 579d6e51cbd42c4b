"""The mutation operators: small mistakes an attendee could make in a solution.

Each proposes `Change`s to one node of a file's syntax tree, as edits of the
text (the rest of the file keeps its formatting) and as the same change to the
tree (workshop.authoring.mutation.generate proves the edits mean exactly that).

| operator | what it does |
| --- | --- |
| negated | `if c:` → `if not (c):` (and `not c` → `c`), in `if`, `assert`, `x if c else y` |
| condition removed | `if c:` → `if True:`; `a and b` → `b`, and → `a` |
| boundary | `<` ↔ `<=`, `>` ↔ `>=`; `ge=` ↔ `gt=`, `le=` ↔ `lt=` in a call |
| comparison | `==` ↔ `!=`, `<` ↔ `>=`, `in` ↔ `not in`, `is` ↔ `is not` |
| constant | a number ± 1, a text emptied (or filled), `True` ↔ `False` |
| statement deleted | a statement → `pass` |
| await dropped | `await f()` → `f()` |
| values swapped | two neighbouring values of a dict literal |
| keyword removed | `Field(ge=0, le=9)` → `Field(le=9)` |
| call dropped | `q.limit(n)` → `q` in a chain, `s.lower()` → `s` |

Never mutated, by construction, so that no mutant's outcome depends on timing:
a `while` loop and anything in it (a loop that may never end), and any node
that is, holds or sits under a call, keyword or assignment whose name speaks
of time or cost (sleep, timeout, ttl, expiry, seconds, memory, ...: a change
there makes code slower, or a token expire during the check, rather than wrong
in a way a check sees every time). Nor are docstrings, `None`, or the inside of
an f-string (it is emptied whole).
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass

from workshop.authoring.mutation.source import Edit, Source, one_line

Path = tuple[tuple[str, int | None], ...]  # (field, index in its list) from the module

TIMING = re.compile(
    r"sleep|timeout|deadline|ttl|expir|timedelta|second|minute|hour|_cost|memory|wait",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Change:
    operator: str
    path: Path  # the node that changes
    new: ast.AST | None  # what it becomes (None: removed from its list)
    edits: tuple[Edit, ...]
    before: str  # what a reader sees change, on one line
    after: str


def replacing(
    source: Source, operator: str, node: ast.AST, path: Path, text: str
) -> Change:
    """`node` replaced by the expression `text`."""
    return Change(
        operator,
        path,
        ast.parse(text, mode="eval").body,
        (Edit(*source.span(node), text),),
        one_line(source.segment(node)),
        one_line(text),
    )


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Assign):
        return [_name(t) for t in node.targets]
    if isinstance(node, ast.AnnAssign | ast.AugAssign):
        return [_name(node.target)]
    if isinstance(node, ast.keyword):
        return [node.arg or ""]
    return [_name(node.func)] if isinstance(node, ast.Call) else []


def timing(node: ast.AST, ancestors: tuple[ast.AST, ...]) -> bool:
    """Could changing `node` change how long something takes or waits: is it in
    a `while` loop, or under or around a name that speaks of time or cost?"""
    return any(
        isinstance(near, ast.While) or any(TIMING.search(n) for n in _names(near))
        for near in (*ancestors, *ast.walk(node))
    )


def walk(
    node: ast.AST, path: Path = (), ancestors: tuple[ast.AST, ...] = ()
) -> Iterator[tuple[ast.AST, Path, tuple[ast.AST, ...]]]:
    """Every node with its path and ancestors; an f-string is one node."""
    yield node, path, ancestors
    if isinstance(node, ast.JoinedStr):
        return
    for field, value in ast.iter_fields(node):
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, ast.AST):
                where = (field, index if isinstance(value, list) else None)
                yield from walk(item, (*path, where), (*ancestors, node))


def resolve(tree: ast.AST, path: Path) -> ast.AST:
    node = tree
    for field, index in path:
        value = getattr(node, field)
        node = value[index] if index is not None else value
    return node


def expected(tree: ast.AST, change: Change) -> ast.AST:
    """A copy of `tree` with `change` made to it."""
    tree = copy.deepcopy(tree)
    parent = resolve(tree, change.path[:-1])
    field, index = change.path[-1]
    if index is None:
        setattr(parent, field, copy.deepcopy(change.new))
    elif change.new is None:
        del getattr(parent, field)[index]
    else:
        getattr(parent, field)[index] = copy.deepcopy(change.new)
    return tree
