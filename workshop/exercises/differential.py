"""Differential checks: the attendee's function against the solution's, on drawn inputs.

Where an exercise is a pure function, fixed cases name its boundaries and a
differential step covers the rest: many inputs drawn for the run
(workshop.exercises.chance), each given to the attendee's function through the
checker (`t.call`, so over the channel when the lesson is judged outside its
sandbox) and to the solution's, which is read from `solutions/` and run here,
in the checker's process: never in a grading sandbox. Only the solution's own
function is taken from its cell (by name, with `ast`), with the functions of the
cell it calls (`helpers`) and the cell's imports from the standard library;
annotations are dropped, so it needs nothing else of its module.
"""

from __future__ import annotations

import ast
import functools
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import workshop
from workshop.checking import Called, Checker, lesson_of
from workshop.project import find_root

Same = Callable[[Any, Called], bool]  # (the solution's value, the attendee's call)


@functools.cache
def solution_function(
    exercise: str, name: str, helpers: tuple[str, ...] = ()
) -> Callable[..., Any]:
    """The function `name` as the solution of `exercise` writes it, with the
    functions named in `helpers` that it calls."""
    from workshop.authoring.fold import read_lesson
    from workshop.project import lesson_number, solution_notebooks

    root = find_root(Path(workshop.__file__).resolve().parent)
    source = next(
        p for p in solution_notebooks(root) if lesson_number(p) == lesson_of(exercise)
    )
    lesson = read_lesson(source)
    cell = next(c for c in lesson.file_cells if c.slot == lesson.homes[exercise])
    tree = ast.parse(cell.text((), None))
    wanted = {name, *helpers}
    found = [
        n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in wanted
    ]
    if name not in {n.name for n in found}:
        raise LookupError(f"the solution of {exercise} defines no function {name}")
    for function in found:
        _drop_annotations(function)
    imports: list[ast.stmt] = [
        n
        for n in tree.body
        if isinstance(n, ast.Import | ast.ImportFrom) and _from_standard_library(n)
    ]
    namespace: dict[str, Any] = {}
    body = imports + list(found)
    code = compile(ast.Module(body=body, type_ignores=[]), str(source), "exec")
    exec(code, namespace)  # the instructor's own solution
    return namespace[name]  # type: ignore[no-any-return]


def _drop_annotations(function: ast.FunctionDef) -> None:
    """Annotations name the module's types and aliases, which are not taken."""
    function.returns = None
    arguments = function.args
    for argument in [
        *arguments.posonlyargs,
        *arguments.args,
        *arguments.kwonlyargs,
        *filter(None, [arguments.vararg, arguments.kwarg]),
    ]:
        argument.annotation = None


def _from_standard_library(statement: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(statement, ast.ImportFrom):
        return statement.level == 0 and _stdlib(statement.module or "")
    return all(_stdlib(alias.name) for alias in statement.names)


def _stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names


def disagreement(
    t: Checker,
    target: str,
    exercise: str,
    cases: Iterable[dict[str, Any]],
    same: Same,
) -> str:
    """The first case on which `target` ("app.module:name") and the solution's
    function of that name disagree, described; "" when they agree on all."""
    solution = solution_function(exercise, target.partition(":")[2])
    for arguments in cases:
        expected = solution(**arguments)
        made = t.call(target, **arguments)
        if not same(expected, made):
            yours = (
                f"raised {made.type}"
                if made.raised
                else repr(made.returned)
                if made.plain
                else f"a {made.type}"
            )
            shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
            return f"{shown}: yours gave {yours}, the solution {expected!r}"
    return ""
