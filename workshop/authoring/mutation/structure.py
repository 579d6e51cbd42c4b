"""Operators on structure: keyword arguments, chained calls, whole statements."""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Iterator

from workshop.authoring.mutation.operators import Change, Path, replacing
from workshop.authoring.mutation.source import Edit, Source, one_line

BOUNDARY_KEYWORDS = {"ge": "gt", "gt": "ge", "le": "lt", "lt": "le"}
BODIES = ("body", "orelse", "finalbody")
_REST_OF_LINE = re.compile(r"[ \t]*,?[ \t]*(#[^\n]*)?\n?")
_COMMA = re.compile(r"\s*,")
DOCUMENTED = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def removal(source: Source, item: ast.AST, siblings: list[ast.AST]) -> Edit:
    """The edit that takes `item` out of a comma-separated list: its whole lines
    when it has them to itself, else up to the next item (or from the last)."""
    start, end = source.span(item)
    line_start, line_end = source.line_start(start), source.line_end(end)
    alone = not source.text[line_start:start].strip()
    if alone and _REST_OF_LINE.fullmatch(source.text[end:line_end]):
        return Edit(line_start, line_end, "")
    ordered = sorted(siblings, key=source.span)
    index = ordered.index(item)
    if index + 1 < len(ordered):
        return Edit(start, source.span(ordered[index + 1])[0], "")
    if index > 0:
        return Edit(source.span(ordered[index - 1])[1], end, "")
    comma = _COMMA.match(source.text, end)
    return Edit(start, comma.end() if comma else end, "")


def keywords(source: Source, node: ast.Call, path: Path) -> Iterator[Change]:
    siblings: list[ast.AST] = [*node.args, *node.keywords]
    for index, keyword in enumerate(node.keywords):
        if keyword.arg is None:
            continue  # `**options`
        where = (*path, ("keywords", index))
        shown = one_line(source.segment(keyword))
        edit = removal(source, keyword, siblings)
        yield Change("keyword removed", where, None, (edit,), shown, "(removed)")
        if keyword.arg in BOUNDARY_KEYWORDS:
            name = BOUNDARY_KEYWORDS[keyword.arg]
            start = source.span(keyword)[0]
            value_start = source.span(keyword.value)[0]
            new = ast.keyword(name, copy.deepcopy(keyword.value))
            edit = Edit(start, value_start, f"{name}=")
            after = f"{name}={one_line(source.segment(keyword.value))}"
            yield Change("boundary", where, new, (edit,), shown, after)


def dropped_call(source: Source, node: ast.Call, path: Path) -> Iterator[Change]:
    """`query.limit(n)` → `query` when `query` is itself a call (a chain), and
    `text.lower()` → `text` for a call without arguments."""
    func = node.func
    if not isinstance(func, ast.Attribute):
        return
    chained = isinstance(func.value, ast.Call)
    if not chained and (node.args or node.keywords):
        return
    receiver = source.segment(func.value)
    change = replacing(source, "call dropped", node, path, receiver)
    if chained:  # "… .limit(limit) → (removed)" reads better than the whole chain
        tail = source.text[source.span(func.value)[1] : source.span(node)[1]]
        change = Change(
            change.operator, path, change.new, change.edits, one_line(tail), "(removed)"
        )
    yield change


def _statement_start(source: Source, node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    if not decorators:
        return source.span(node)[0]
    first = source.span(decorators[0])[0]
    return source.text.rfind("@", source.line_start(first), first)


def deleted(source: Source, node: ast.stmt, path: Path) -> Change:
    start, end = _statement_start(source, node), source.span(node)[1]
    lines = source.text[start:end].split("\n")
    shown = one_line(lines[0]) + (" …" if len(lines) > 1 else "")
    return Change(
        "statement deleted",
        path,
        ast.Pass(),
        (Edit(start, end, "pass"),),
        shown,
        "pass",
    )


def _docstring(node: ast.AST, parent: ast.AST | None, path: Path) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        and isinstance(parent, DOCUMENTED)
        and path[-1] == ("body", 0)
    )


def changes(
    source: Source, node: ast.AST, path: Path, ancestors: tuple[ast.AST, ...]
) -> Iterator[Change]:
    if isinstance(node, ast.Call):
        yield from keywords(source, node, path)
        yield from dropped_call(source, node, path)
    parent = ancestors[-1] if ancestors else None
    if (
        isinstance(node, ast.stmt)
        and path
        and path[-1][0] in BODIES
        and not isinstance(node, ast.Pass)
        and not _docstring(node, parent, path)
    ):
        yield deleted(source, node, path)
