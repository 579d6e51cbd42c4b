"""Differential checks: the attendee's function against the solution's, on drawn inputs.

Where an exercise is a pure function, fixed cases name its boundaries and a
differential step covers the rest: many inputs drawn for the run
(workshop.exercises.chance), each given to the attendee's function through the
checker (`t.call`, so over the channel when the lesson is judged outside its
sandbox) and to the solution's, which is read from `solutions/` and run here,
in the checker's process: never in a grading sandbox. Only the solution's own
function is taken from its file as the exercise's cell leaves it (by name, with
`ast`), with the definitions of that file it `needs` and the file's imports of
libraries; what it takes from the app is `given` by the check (a stand-in), since
the app is never imported here, and its functions' annotations are dropped (they
name the module's types).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import workshop
from workshop.checking import Called, Checker, lesson_of
from workshop.project import find_root

Same = Callable[[Any, Called], bool]  # (the solution's value, the attendee's call)


@functools.cache
def solution_function(
    exercise: str, name: str, needs: tuple[str, ...] = (), **given: Any
) -> Callable[..., Any]:
    """The function (or class) `name` as the solution of `exercise` writes it,
    with the functions, classes and constants of its file named in `needs`."""
    from workshop.authoring.fold import read_lesson, start_of
    from workshop.project import lesson_number, solution_notebooks

    root = find_root(Path(workshop.__file__).resolve().parent)
    source = next(
        p for p in solution_notebooks(root) if lesson_number(p) == lesson_of(exercise)
    )
    lesson = read_lesson(source)
    # The file as the region's cell leaves it: a `--definitions` cell holds only
    # the definitions it changes, and the file the rest the function needs.
    files = start_of(root, lesson.number)
    for cell in lesson.file_cells:
        files.apply(lesson, cell)
        if cell.slot == lesson.homes[exercise]:
            break
    tree = ast.parse(files.written[cell.path].text)
    wanted = {name, *needs}
    found = [n for n in tree.body if _defined(n) & wanted]
    if name not in set().union(*map(_defined, found)):
        raise LookupError(f"the solution of {exercise} defines no function {name}")
    for node in found:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            _drop_annotations(node)
    imports = [n for n in tree.body if _imports_a_library(n)]
    namespace: dict[str, Any] = dict(given)
    module = ast.Module(body=[*imports, *found], type_ignores=[])
    exec(compile(module, str(source), "exec"), namespace)  # the instructor's own
    return namespace[name]  # type: ignore[no-any-return]


def _defined(node: ast.stmt) -> set[str]:
    """The names a statement of a module defines: a function, a class, a constant."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)}
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return {node.target.id}
    return set()


def _drop_annotations(function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
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


def _imports_a_library(node: ast.stmt) -> bool:
    """An import of anything but the app (whose names a check gives instead)."""
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and (node.module or "").split(".")[0] != "app"
    if isinstance(node, ast.Import):
        return all(a.name.split(".")[0] != "app" for a in node.names)
    return False


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
