"""The operator for state shared between requests: a local kept on `self`.

| operator | what it does |
| --- | --- |
| shared on self | in a method, a local `n` → `self.n`, everywhere it is used |

One object (a middleware, a client, an app-wide service) serves every request,
so an attribute of `self` is shared by all the requests in flight: a count kept
there mixes two requests' bodies. The mutant is proposed only where another
request can run between the local being set and being read: a function nested
in the method reads it (it runs later, as `receive` or `send` does), or an
`await` lies between. Elsewhere nothing can tell the two apart, on any object.

A name the method cannot keep on `self` is left alone: a parameter, one bound
by `except ... as`, `:=`, `import`, `def`, `class`, `global`, a pattern or a
comprehension, and one that a nested function binds for itself.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterator

from workshop.authoring.mutation.operators import Change, Path, resolve, walk
from workshop.authoring.mutation.source import Edit, Source

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
SCOPES = (*FUNCTIONS, ast.Lambda, ast.ClassDef)
PAUSES = (ast.Await, ast.AsyncFor, ast.AsyncWith, ast.Yield, ast.YieldFrom)
Relative = tuple[tuple[str, int | None], ...]  # a path from the method


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    a = node.args
    every = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
    return {p.arg for p in every if p is not None}


def _own(scope: ast.AST) -> Iterator[tuple[ast.AST, Relative]]:
    """The nodes of `scope`'s body, with paths from `scope`: a nested scope is
    yielded, never entered."""
    for index, statement in enumerate(getattr(scope, "body", [])):
        for node, path, ancestors in walk(statement, (("body", index),)):
            if not any(isinstance(a, SCOPES) for a in ancestors):
                yield node, path


def _bound_otherwise(node: ast.AST) -> set[str]:
    """The names `node` binds in a way `self.name` cannot stand in for."""
    if isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar):
        return {node.name} if node.name else set()
    if isinstance(node, ast.MatchMapping):
        return {node.rest} if node.rest else set()
    if isinstance(node, (*FUNCTIONS, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.alias):
        return {(node.asname or node.name).split(".")[0]}
    if isinstance(node, ast.NamedExpr | ast.comprehension):
        return {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
    return set()


def _binds(scope: ast.AST, name: str) -> str:
    """How `scope` binds `name` in its own body: "local", "nonlocal", "other"
    (global, or a way `self.name` cannot replace) or "" (it does not)."""
    how = set()
    for node, _ in _own(scope):
        if isinstance(node, ast.Nonlocal) and name in node.names:
            how.add("nonlocal")
        elif isinstance(node, ast.Global) and name in node.names:
            how.add("other")
        elif isinstance(node, ast.Name) and node.id == name:
            if not isinstance(node.ctx, ast.Load):
                how.add("local")
        elif name in _bound_otherwise(node):
            how.add("other")
    for answer in ("other", "nonlocal", "local"):
        if answer in how:
            return answer
    return ""


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


class _Uses:
    """Every place the local `name` of a scope is written or read, its nested
    functions included; `ok` is False when `self.name` cannot take its place."""

    def __init__(self, scope: ast.AST, at: Relative, name: str) -> None:
        self.names: list[Relative] = []  # its Name nodes, from the method
        self.nonlocals: list[Relative] = []  # `nonlocal` statements that name it
        self.nested = False  # read or written by a nested function
        self.ok = True
        self._visit(scope, at, name, top=True)

    def _visit(self, scope: ast.AST, at: Relative, name: str, *, top: bool) -> None:
        for node, path in _own(scope):
            where = (*at, *path)
            if isinstance(node, ast.Name) and node.id == name:
                self.names.append(where)
                self.nested = self.nested or not top
            elif isinstance(node, ast.Nonlocal) and name in node.names:
                self.nonlocals.append(where)
            elif isinstance(node, ast.JoinedStr | ast.ClassDef | ast.Lambda):
                # an f-string is one node here; a class or lambda, rare: left alone
                self.ok = self.ok and not _mentions(node, name)
            elif isinstance(node, FUNCTIONS) and name not in _parameters(node):
                how = _binds(node, name)
                if how == "other":
                    self.ok = False
                elif how != "local":  # read there, or `nonlocal`: the same variable
                    self._visit(node, where, name, top=False)


def _statement_end(source: Source, method: ast.AST, path: Relative) -> int:
    """Where the statement that holds the node at `path` ends."""
    for depth in range(1, len(path) + 1):
        node = resolve(method, path[:depth])
        if isinstance(node, ast.stmt):
            return source.span(node)[1]
    raise LookupError(path)


def _paused_between(
    source: Source, method: ast.AST, scope: ast.AST, uses: _Uses
) -> bool:
    """Is there an await (or yield) in `scope` after the statement that first sets
    the local, and before its last use?"""
    spans = sorted((source.span(resolve(method, p)), p) for p in uses.names)
    stores = [p for _, p in spans if not isinstance(resolve(method, p).ctx, ast.Load)]
    if not stores:
        return False
    after, last = _statement_end(source, method, stores[0]), spans[-1][0][0]
    return any(
        isinstance(node, PAUSES)
        and after <= source.span(node)[0]
        and source.span(node)[1] <= last  # `await f(n)` reads n before it waits
        for node, _ in _own(scope)
    )


def _changed(method: ast.AST, uses: _Uses, name: str) -> ast.AST:
    new = copy.deepcopy(method)
    for path in uses.names:
        old = resolve(new, path)
        parent, (field, index) = resolve(new, path[:-1]), path[-1]
        if isinstance(parent, ast.AnnAssign) and field == "target":
            parent.simple = 0
        attribute = ast.Attribute(ast.Name("self", ast.Load()), name, old.ctx)
        if index is None:
            setattr(parent, field, attribute)
        else:
            getattr(parent, field)[index] = attribute
    for path in sorted(uses.nonlocals, reverse=True):  # later ones first: indices hold
        statement = resolve(new, path)
        statement.names = [n for n in statement.names if n != name]
        if not statement.names:
            parent, (field, index) = resolve(new, path[:-1]), path[-1]
            del getattr(parent, field)[index]
    return new


def _edits(source: Source, method: ast.AST, uses: _Uses, name: str) -> tuple[Edit, ...]:
    edits = [Edit(*source.span(resolve(method, p)), f"self.{name}") for p in uses.names]
    for path in uses.nonlocals:
        statement = resolve(method, path)
        start, end = source.span(statement)
        kept = [n for n in statement.names if n != name]
        if kept:
            edits.append(Edit(start, end, f"nonlocal {', '.join(kept)}"))
        else:  # the line goes (a statement alone on its line, as formatters write)
            edits.append(Edit(source.line_start(start), source.line_end(end), ""))
    return tuple(edits)


def changes(
    source: Source, node: ast.AST, path: Path, ancestors: tuple[ast.AST, ...]
) -> Iterator[Change]:
    if not isinstance(node, FUNCTIONS) or not path:
        return
    if [a.arg for a in [*node.args.posonlyargs, *node.args.args][:1]] != ["self"]:
        return
    scopes: list[tuple[ast.AST, Relative]] = [(node, ())]
    scopes += [
        (n, p)
        for n, p in _own(node)
        if isinstance(n, FUNCTIONS) and "self" not in _parameters(n)
    ]
    for scope, at in scopes:
        assert isinstance(scope, FUNCTIONS)
        written = {
            n.id
            for n, _ in _own(scope)
            if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)
        }
        for name in sorted(written - _parameters(scope) - {"self"}):
            if _binds(scope, name) != "local":
                continue
            uses = _Uses(scope, at, name)
            if not uses.ok or not (
                uses.nested or _paused_between(source, node, scope, uses)
            ):
                continue
            yield Change(
                "shared on self",
                path,
                _changed(node, uses, name),
                _edits(source, node, uses, name),
                name,
                f"self.{name}",
            )
