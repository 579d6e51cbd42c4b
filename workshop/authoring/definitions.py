"""A cell that changes some definitions of a file: `%%save_file PATH --definitions`.

Re-showing a 160-line file to change one function hides the change and costs
the attendee's time. Such a cell holds only what changes, and these rules say
what the file becomes (the fold and the magic both call `merge`, so a build and
a kernel write the same bytes):

- A definition is a top-level function, async function, class, or assignment to
  one name, with its decorators and the comment lines right above it. Each
  definition of the cell replaces the file's definition of the same name, in
  place. A new name goes right after the cell's definition above it, or, when
  none is above it, right before the cell's next definition; a cell of new
  names only appends them at the end of the file. The blank lines between the
  cell's definitions are kept.
- `del NAME` removes the file's definition of NAME (nothing when it is gone).
- A docstring opening the cell replaces the file's docstring; imports (next in
  the cell) replace the file's import block (its top-level imports before the
  first other statement) as a whole, so the cell shows every import the file
  keeps and the block stays sorted.
- Nothing else may stand in the cell, no name twice, and a name it replaces must
  be defined once in the file: anything else is refused with a message.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

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


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


@dataclass
class _File:
    """The parts of a file a cell can change."""

    lines: list[str]
    docstring: Span | None = None
    imports: Span | None = None
    definitions: dict[str, Span] = field(default_factory=dict)


def _file(text: str, what: str) -> _File:
    lines = text.rstrip("\n").split("\n")
    tree = _parse(text, what)
    found = _File(lines)
    body = tree.body
    if body and _is_docstring(body[0]):
        found.docstring, body = _span(lines, body[0]), body[1:]
    imports = []
    for node in body:
        if not isinstance(node, _IMPORTS):
            break
        imports.append(_span(lines, node))
    if imports:
        found.imports = Span(imports[0].start, imports[-1].end)
    for node in tree.body:
        name = name_of(node)
        if name in found.definitions:
            raise WorkshopError(f"{what} defines {name} twice (line {node.lineno})")
        if name is not None:
            found.definitions[name] = _span(lines, node)
    return found


@dataclass
class _Cell:
    """What a cell holds, in its order."""

    lines: list[str]
    docstring: Span | None = None
    imports: Span | None = None
    removed: list[str] = field(default_factory=list)
    definitions: dict[str, Span] = field(default_factory=dict)


_ORDER = "a docstring, imports, `del NAME` lines, then definitions"


def _cell(body: str, path: str) -> _Cell:
    what = f"The cell for {path}"
    tree = _parse(body, what)
    cell = _Cell(body.split("\n"))
    imports: list[Span] = []
    stage = 0  # how far along _ORDER the cell is
    for number, node in enumerate(tree.body):
        name = name_of(node)
        if number == 0 and _is_docstring(node):
            cell.docstring, now = _span(cell.lines, node), 0
        elif isinstance(node, _IMPORTS):
            imports, now = [*imports, _span(cell.lines, node)], 1
        elif isinstance(node, ast.Delete) and all(
            isinstance(target, ast.Name) for target in node.targets
        ):
            cell.removed += [t.id for t in node.targets if isinstance(t, ast.Name)]
            now = 2
        elif name is None:
            raise WorkshopError(
                f"{what} may hold only {_ORDER} (a function, a class or an assignment "
                f"to one name); line {node.lineno} is none of them"
            )
        elif name in cell.definitions or name in cell.removed:
            raise WorkshopError(f"{what} names {name} twice (line {node.lineno})")
        else:
            cell.definitions[name], now = _span(cell.lines, node), 3
        if now < stage:
            raise WorkshopError(
                f"{what} holds {_ORDER}, in that order (line {node.lineno})"
            )
        stage = now
    if imports:
        cell.imports = Span(imports[0].start, imports[-1].end)
    if not (cell.definitions or cell.removed or cell.imports or cell.docstring):
        raise WorkshopError(f"{what} holds no definition to write")
    return cell


def _placed(cell: _Cell, file: _File) -> list[tuple[int, int, list[str]]]:
    """Where each run of new names goes: (line of the file, 0, the lines)."""
    names = list(cell.definitions)
    runs: list[list[str]] = []
    for number, name in enumerate(names):
        if name in file.definitions:
            continue
        if number and names[number - 1] not in file.definitions:
            runs[-1].append(name)
        else:
            runs.append([name])
    found = []
    for run in runs:
        first, last = names.index(run[0]), names.index(run[-1])
        span = Span(cell.definitions[run[0]].start, cell.definitions[run[-1]].end)
        if first > 0:  # right after the cell's definition above, the gap kept
            above = cell.definitions[names[first - 1]]
            at = file.definitions[names[first - 1]].end
            found.append((at, 0, cell.lines[above.end : span.end]))
        elif last + 1 < len(names):  # right before the cell's next one
            below = cell.definitions[names[last + 1]]
            at = file.definitions[names[last + 1]].start
            found.append((at, 0, cell.lines[span.start : below.start]))
        else:  # new names only: at the end
            found.append(
                (len(file.lines), 0, ["", "", *cell.lines[span.start : span.end]])
            )
    return found


def _removed(span: Span, lines: list[str]) -> Span:
    """The definition's lines and the narrower of the blank runs around it (the
    one before it, at the end of the file), so its neighbours keep the wider."""
    start, end = span.start, span.end
    while start > 0 and not lines[start - 1].strip():
        start -= 1
    while end < len(lines) and not lines[end].strip():
        end += 1
    if end < len(lines) and end - span.end <= span.start - start:
        return Span(span.start, end)
    return Span(start, span.end)


def merge(before: str | None, body: str, path: str) -> str:
    """The file `before` once the cell's definitions (and imports) are written in."""
    if before is None:
        raise WorkshopError(
            f"{path} does not exist yet: a `{FLAG}` cell changes a file that an "
            "earlier cell wrote. Run the cells above it, or restore the checkpoint."
        )
    cell = _cell(body, path)
    file = _file(before, f"{path} as it is before this cell")
    changes = _placed(cell, file)  # (where, 1 to replace, with what)
    for name, span in cell.definitions.items():
        if name in file.definitions:
            where = file.definitions[name]
            changes.append((where.start, where.end, cell.lines[span.start : span.end]))
    for name in cell.removed:
        if name in file.definitions:
            where = _removed(file.definitions[name], file.lines)
            changes.append((where.start, where.end, []))
    for part in ("docstring", "imports"):
        mine, theirs = getattr(cell, part), getattr(file, part)
        if mine is None:
            continue
        if theirs is None:
            raise WorkshopError(
                f"{path} has no {part} for the cell's to replace: write the whole "
                "file instead"
            )
        changes.append((theirs.start, theirs.end, cell.lines[mine.start : mine.end]))
    lines = list(file.lines)
    # From the bottom up, so the lines above keep their numbers; at one line, a
    # replacement before an insertion, so the insertion lands above it.
    for start, end, new in sorted(
        changes, key=lambda c: (c[0], c[1] > c[0]), reverse=True
    ):
        lines[start : max(start, end)] = new
    return "\n".join(lines) + "\n"
