"""Operators for the mistakes people make, not the slips a keyboard makes.

A single flipped operator is easy for a check to kill; the answers that pass
checks are wrong in kind: a rule applied to the first element only, a regular
expression that matches a prefix or a trailing newline, one address family, a
few hops, an upper bound forgotten, a rule that stops the rules after it.

| operator | what it does |
| --- | --- |
| first only | `all(xs)` / `any(xs)` → `all(list(xs)[:1])` |
| prefix match | `p.fullmatch(s)` → `p.match(s)`, and → `p.search(s)` |
| end of text | a regex `\\Z` → `$` (which also matches before a final newline) |
| contains | `s.startswith(x)` → `x in s`, `not s.startswith(x)` → `x not in s` |
| IPv4 only | `ip_address(a)` → `IPv4Address(a)`, `ip_network(n)` → `IPv4Network(n)` |
| last two | `for x in xs:` → `for x in list(xs)[-2:]:` |
| upper bound dropped | `a <= x <= b` → `a <= x` |
| elif chain | two independent `if`s in a row → `if` … `elif` |
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator

from workshop.authoring.mutation.operators import Change, Path, replacing
from workshop.authoring.mutation.source import Edit, Source, one_line

IPV4 = {"ip_address": "IPv4Address", "ip_network": "IPv4Network"}
BODIES = ("body", "orelse", "finalbody")
# A body that ends so leaves the block: an `elif` after it changes nothing.
LEAVES = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def _called(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _calls(source: Source, node: ast.Call, path: Path) -> Iterator[Change]:
    name, func = _called(node), node.func
    if name in {"all", "any"} and isinstance(func, ast.Name) and len(node.args) == 1:
        inner = source.segment(node.args[0])
        yield replacing(source, "first only", node, path, f"{name}(list({inner})[:1])")
    if name == "fullmatch" and isinstance(func, ast.Attribute):
        receiver = source.segment(func.value)
        rest = source.text[source.span(func)[1] : source.span(node)[1]]
        for other in ("match", "search"):
            yield replacing(
                source, "prefix match", node, path, f"{receiver}.{other}{rest}"
            )
    if name == "startswith" and isinstance(func, ast.Attribute) and len(node.args) == 1:
        text = f"{source.segment(node.args[0])} in {source.segment(func.value)}"
        yield replacing(source, "contains", node, path, f"({text})")
    if name in IPV4 and node.args:
        rest = source.text[source.span(func)[1] : source.span(node)[1]]
        new = f"__import__('ipaddress').{IPV4[name]}{rest}"
        change = replacing(source, "IPv4 only", node, path, new)
        yield Change(change.operator, path, change.new, change.edits, name, IPV4[name])


def _not_startswith(source: Source, node: ast.UnaryOp, path: Path) -> Iterator[Change]:
    call = node.operand
    if (
        isinstance(node.op, ast.Not)
        and isinstance(call, ast.Call)
        and _called(call) == "startswith"
        and isinstance(call.func, ast.Attribute)
        and len(call.args) == 1
    ):
        text = (
            f"{source.segment(call.args[0])} not in {source.segment(call.func.value)}"
        )
        yield replacing(source, "contains", node, path, f"({text})")


def _regex_end(source: Source, node: ast.Constant, path: Path) -> Iterator[Change]:
    if isinstance(node.value, str) and "\\Z" in node.value:
        yield replacing(
            source, "end of text", node, path, repr(node.value.replace("\\Z", "$"))
        )


def _upper_bound(source: Source, node: ast.Compare, path: Path) -> Iterator[Change]:
    if len(node.ops) == 2 and all(
        isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE) for op in node.ops
    ):
        start = source.span(node)[0]
        kept = source.text[start : source.span(node.comparators[0])[1]]
        yield replacing(source, "upper bound dropped", node, path, kept)


def _last_two(source: Source, node: ast.For | ast.AsyncFor, path: Path) -> Change:
    iterated = source.segment(node.iter)
    return replacing(
        source, "last two", node.iter, (*path, ("iter", None)), f"list({iterated})[-2:]"
    )


def _elif_chains(source: Source, node: ast.AST, path: Path) -> Iterator[Change]:
    """In each body of `node`, an `if` (without else) followed by another `if`:
    the second becomes the first's `elif` (a change of `node`, which holds both)."""
    if not path:
        return  # the module itself: no region spans two top-level ifs
    for field in BODIES:
        body = getattr(node, field, None)
        if not isinstance(body, list):
            continue
        for index in range(len(body) - 1):
            first, second = body[index], body[index + 1]
            if not (
                isinstance(first, ast.If)
                and isinstance(second, ast.If)
                and not first.orelse
                and first.col_offset == second.col_offset
                and not isinstance(first.body[-1], LEAVES)  # else: the same code
            ):
                continue
            start = source.span(second)[0]
            if not source.text.startswith("if", start):
                continue
            changed = copy.deepcopy(node)
            joined = getattr(changed, field)[index]
            joined.orelse = [getattr(changed, field).pop(index + 1)]
            shown = one_line(source.text[start : source.line_end(start)])
            yield Change(
                "elif chain",
                path,
                changed,
                (Edit(start, start + 2, "elif"),),
                shown,
                "el" + shown,
            )


def changes(
    source: Source, node: ast.AST, path: Path, ancestors: tuple[ast.AST, ...]
) -> Iterator[Change]:
    if isinstance(node, ast.Call):
        yield from _calls(source, node, path)
    if isinstance(node, ast.UnaryOp):
        yield from _not_startswith(source, node, path)
    if isinstance(node, ast.Constant):
        yield from _regex_end(source, node, path)
    if isinstance(node, ast.Compare):
        yield from _upper_bound(source, node, path)
    if isinstance(node, ast.For | ast.AsyncFor):
        yield _last_two(source, node, path)
    yield from _elif_chains(source, node, path)
