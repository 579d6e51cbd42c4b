"""A cell that changes some definitions of a file: `%%save_file PATH --definitions`.

Re-showing a 160-line file to change one function hides the change and costs
the attendee's time. Such a cell holds only what changes, and these rules say
what the file becomes (the fold and the magic both call `merge`, so a build and
a kernel write the same bytes):

- Each top-level definition of the cell (a function, an async function, a class,
  or an assignment to one name, with its decorators and the comment lines right
  above it) replaces the definition of the same name in the file, in place, or
  is appended at the end of the file when the name is new.
- When the cell has imports, they come first and replace the file's import
  block (its top-level imports before the first other statement) as a whole:
  the cell shows every import the file keeps, so the result stays sorted.
- Nothing else may stand in the cell, no name twice, and a name it replaces must
  be defined once in the file: anything else is refused with a message.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from workshop.project import WorkshopError

FLAG = "--definitions"
_IMPORTS = (ast.Import, ast.ImportFrom)
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Span:
    """Lines `start` to `end` (from 0, `end` excluded) of a text."""

    start: int
    end: int


def name_of(node: ast.stmt) -> str | None:
    """The name a top-level statement defines, None when it defines no one name."""
    if isinstance(node, _DEFINITIONS):
        return node.name
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    return None


def _parse(text: str, what: str) -> ast.Module:
    try:
        return ast.parse(text)
    except SyntaxError as error:
        raise WorkshopError(
            f"{what} is not valid Python ({error.msg}, line {error.lineno})"
        ) from None


def _span(lines: list[str], node: ast.stmt) -> Span:
    """The statement's lines, with its decorators and the comments right above."""
    decorators = getattr(node, "decorator_list", [])
    start = min([node.lineno, *(d.lineno for d in decorators)]) - 1
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    assert node.end_lineno is not None
    return Span(start, node.end_lineno)


def _import_block(tree: ast.Module, lines: list[str]) -> Span | None:
    """The top-level imports before the first other statement (a docstring aside)."""
    body = tree.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
    ):
        body = body[1:]
    found = []
    for node in body:
        if not isinstance(node, _IMPORTS):
            break
        found.append(_span(lines, node))
    return Span(found[0].start, found[-1].end) if found else None


def _definitions(tree: ast.Module, lines: list[str], what: str) -> dict[str, Span]:
    """{name: span} of the top-level definitions; `None` names are skipped."""
    found: dict[str, Span] = {}
    for node in tree.body:
        name = name_of(node)
        if name is None:
            continue
        if name in found:
            raise WorkshopError(f"{what} defines {name} twice (line {node.lineno})")
        found[name] = _span(lines, node)
    return found


def _cell_parts(body: str, path: str) -> tuple[str | None, dict[str, str]]:
    """The cell's import block (None: it has none) and {name: definition text}."""
    what = f"The cell for {path}"
    lines = body.split("\n")
    tree = _parse(body, what)
    imports, definitions = [], {}
    for node in tree.body:
        name = name_of(node)
        if isinstance(node, _IMPORTS):
            if definitions:
                raise WorkshopError(
                    f"{what}: its imports come first, before its definitions "
                    f"(line {node.lineno})"
                )
            imports.append(_span(lines, node))
        elif name is None:
            raise WorkshopError(
                f"{what} may hold only imports and definitions (a function, a class "
                f"or an assignment to one name); line {node.lineno} is neither"
            )
        elif name in definitions:
            raise WorkshopError(f"{what} defines {name} twice (line {node.lineno})")
        else:
            span = _span(lines, node)
            definitions[name] = "\n".join(lines[span.start : span.end])
    if not definitions and not imports:
        raise WorkshopError(f"{what} holds no definition to write")
    block = None
    if imports:
        block = "\n".join(lines[imports[0].start : imports[-1].end])
    return block, definitions


def merge(before: str | None, body: str, path: str) -> str:
    """The file `before` once the cell's definitions (and imports) are written in."""
    if before is None:
        raise WorkshopError(
            f"{path} does not exist yet: a `{FLAG}` cell changes a file that an "
            "earlier cell wrote. Run the cells above it, or restore the checkpoint."
        )
    block, definitions = _cell_parts(body, path)
    lines = before.rstrip("\n").split("\n")
    what = f"{path} as it is before this cell"
    tree = _parse(before, what)
    existing = _definitions(tree, lines, what)
    changes: list[tuple[Span, str]] = [
        (existing[name], text) for name, text in definitions.items() if name in existing
    ]
    if block is not None:
        imports = _import_block(tree, lines)
        if imports is None:
            raise WorkshopError(
                f"{path} has no import block for the cell's imports to replace: "
                "write the whole file instead"
            )
        changes.append((imports, block))
    for span, text in sorted(changes, key=lambda change: -change[0].start):
        lines[span.start : span.end] = text.split("\n")
    new = [text for name, text in definitions.items() if name not in existing]
    return "\n\n\n".join(["\n".join(lines), *new]) + "\n"
