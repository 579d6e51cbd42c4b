"""Operators on expressions: constants, comparisons, conditions, awaits, dicts."""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Iterator

from workshop.authoring.mutation.operators import Change, Path, replacing
from workshop.authoring.mutation.source import Edit, Source, apply, one_line

NEGATION: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}
BOUNDARY: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
}
OP_TEXT: dict[type[ast.cmpop], tuple[str, str]] = {  # (how to find it, how to write it)
    ast.Eq: ("==", "=="),
    ast.NotEq: ("!=", "!="),
    ast.LtE: ("<=", "<="),
    ast.GtE: (">=", ">="),
    ast.Lt: ("<(?!=)", "<"),
    ast.Gt: (">(?!=)", ">"),
    ast.IsNot: (r"\bis\s+not\b", "is not"),
    ast.Is: (r"\bis\b", "is"),
    ast.NotIn: (r"\bnot\s+in\b", "not in"),
    ast.In: (r"\bin\b", "in"),
}
PLAIN = (ast.Name, ast.Attribute, ast.Call, ast.Subscript, ast.Constant)
DOCUMENTED = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _in_context(
    source: Source, node: ast.AST, edits: tuple[Edit, ...]
) -> tuple[str, str]:
    """`node`'s text before and after `edits` (which lie inside it), on one line."""
    start, end = source.span(node)
    before = source.text[start:end]
    moved = tuple(Edit(e.start - start, e.end - start, e.text) for e in edits)
    return one_line(before), one_line(apply(before, moved))


def _replacements(value: object) -> list[object]:
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int | float):
        return [value + 1, value - 1]
    if isinstance(value, str):
        return ["" if value else "mutant"]
    if isinstance(value, bytes):
        return [b"" if value else b"mutant"]
    return []  # None, Ellipsis: nothing plausible to put instead


def constants(
    source: Source,
    node: ast.Constant | ast.JoinedStr,
    path: Path,
    parent: ast.AST | None,
) -> Iterator[Change]:
    value = node.value if isinstance(node, ast.Constant) else "an f-string"
    for new in _replacements(value):
        change = replacing(source, "constant", node, path, repr(new))
        if isinstance(parent, ast.keyword) and parent.arg:  # "ge=0 → ge=1"
            before, after = (
                f"{parent.arg}={change.before}",
                f"{parent.arg}={change.after}",
            )
            change = Change(
                change.operator, path, change.new, change.edits, before, after
            )
        yield change


def comparisons(source: Source, node: ast.Compare, path: Path) -> Iterator[Change]:
    operands = [node.left, *node.comparators]
    for index, op in enumerate(node.ops):
        gap_start = source.span(operands[index])[1]
        gap = source.text[gap_start : source.span(operands[index + 1])[0]]
        found = re.search(OP_TEXT[type(op)][0], gap)
        for table, operator in ((BOUNDARY, "boundary"), (NEGATION, "comparison")):
            if found is None or type(op) not in table:
                continue
            new = copy.deepcopy(node)
            new.ops[index] = table[type(op)]()
            edit = Edit(
                gap_start + found.start(),
                gap_start + found.end(),
                OP_TEXT[table[type(op)]][1],
            )
            yield Change(
                operator, path, new, (edit,), *_in_context(source, node, (edit,))
            )


def conditions(
    source: Source, node: ast.If | ast.IfExp | ast.Assert, path: Path
) -> Iterator[Change]:
    test, where = node.test, (*path, ("test", None))
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        yield replacing(source, "negated", test, where, source.segment(test.operand))
    elif not (isinstance(test, ast.Compare) and len(test.ops) == 1):  # that: flipped
        inner = source.segment(test)
        text = f"not {inner}" if isinstance(test, PLAIN) else f"not ({inner})"
        yield replacing(source, "negated", test, where, text)
    if not isinstance(node, ast.Assert) and not isinstance(test, ast.Constant):
        yield replacing(source, "condition removed", test, where, "True")


def operands(source: Source, node: ast.BoolOp, path: Path) -> Iterator[Change]:
    """`a and b and c` without one of its conditions."""
    values = node.values
    for index in range(len(values)):
        if index < len(values) - 1:
            start, end = (
                source.span(values[index])[0],
                source.span(values[index + 1])[0],
            )
        else:
            start, end = (
                source.span(values[index - 1])[1],
                source.span(values[index])[1],
            )
        rest = [copy.deepcopy(v) for i, v in enumerate(values) if i != index]
        new = rest[0] if len(rest) == 1 else ast.BoolOp(copy.deepcopy(node.op), rest)
        shown = one_line(source.segment(values[index]))
        yield Change(
            "condition removed", path, new, (Edit(start, end, ""),), shown, "(removed)"
        )


def swaps(source: Source, node: ast.Dict, path: Path) -> Iterator[Change]:
    """Two neighbouring values of a dict literal, swapped."""
    for index in range(len(node.values) - 1):
        first, second = node.values[index], node.values[index + 1]
        key = node.keys[index]
        if key is None or node.keys[index + 1] is None:
            continue  # a `**mapping`
        texts = source.segment(first), source.segment(second)
        if texts[0] == texts[1]:
            continue
        new = copy.deepcopy(node)
        new.values[index], new.values[index + 1] = (
            new.values[index + 1],
            new.values[index],
        )
        edits = (
            Edit(*source.span(first), texts[1]),
            Edit(*source.span(second), texts[0]),
        )
        start, end = source.span(key)[0], source.span(second)[1]
        before = source.text[start:end]
        moved = tuple(Edit(e.start - start, e.end - start, e.text) for e in edits)
        yield Change(
            "values swapped",
            path,
            new,
            edits,
            one_line(before),
            one_line(apply(before, moved)),
        )


def _docstring(node: ast.AST, ancestors: tuple[ast.AST, ...], path: Path) -> bool:
    """Is `node` (a constant) the docstring of a module, class or function?"""
    return (
        len(ancestors) >= 2
        and isinstance(ancestors[-1], ast.Expr)
        and isinstance(ancestors[-2], DOCUMENTED)
        and path[-2] == ("body", 0)
    )


def changes(
    source: Source, node: ast.AST, path: Path, ancestors: tuple[ast.AST, ...]
) -> Iterator[Change]:
    parent = ancestors[-1] if ancestors else None
    if isinstance(node, ast.Constant | ast.JoinedStr) and not _docstring(
        node, ancestors, path
    ):
        yield from constants(source, node, path, parent)
    if isinstance(node, ast.Compare):
        yield from comparisons(source, node, path)
    if isinstance(node, ast.If | ast.IfExp | ast.Assert):
        yield from conditions(source, node, path)
    if isinstance(node, ast.BoolOp):
        yield from operands(source, node, path)
    if isinstance(node, ast.Await):
        yield replacing(source, "await dropped", node, path, source.segment(node.value))
    if isinstance(node, ast.Dict):
        yield from swaps(source, node, path)
