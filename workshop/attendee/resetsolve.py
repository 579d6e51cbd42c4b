"""`workshop reset 02.2` and `workshop solve 02.2`: one exercise back to its stub,
or solved, without jumping a whole lesson.

Both change that exercise's region in your notebook's file cell (the rest of the
cell stays as you left it), then write the file as the cell now writes it. What
they replace, the notebook and the file, is copied to .workshop/backups/ first.
A region filled by `solve` carries a marker comment: the grader reads it and
shows "solved with workshop solve" instead of ✓.

The exercise's file may import what earlier cells of its lesson write (right
after `workshop checkpoint 06`, none of them has run): the files still as the
lesson found them are written as those cells write them, never one you changed.
"""

from __future__ import annotations

from pathlib import Path

from workshop import checking
from workshop.authoring import notebooks
from workshop.authoring.fold import Lesson, lessons, start_of
from workshop.authoring.notebooks import file_cell_source
from workshop.authoring.regions import solved_marker
from workshop.disk import back_up, write_files
from workshop.grading.alignment import attendee_lines, regions_in, template
from workshop.project import WorkshopError


def reset(root: Path, exercise_id: str) -> str:
    """Put the exercise's stub back in its region."""
    return _replace(root, exercise_id, solve=False)


def solve(root: Path, exercise_id: str) -> str:
    """Put the solution in the exercise's region, marked as solved by the tool."""
    return _replace(root, exercise_id, solve=True)


def _replace(root: Path, exercise_id: str, *, solve: bool) -> str:
    lesson_number = checking.lesson_of(exercise_id)
    lesson = next((ls for ls in lessons(root) if ls.number == lesson_number), None)
    if lesson is None or exercise_id not in lesson.exercises:
        raise WorkshopError(
            f"There is no exercise {exercise_id}: exercise ids look like 02.2."
        )
    slot = lesson.homes[exercise_id]
    shape = template(lesson.bodies[slot])
    path = root / "notebooks" / f"{lesson.name}.ipynb"
    notebook = notebooks.read(path)
    cells = [c for c in notebooks.file_cells(notebook.cells) if c.slot == slot]
    if not cells or cells[-1].body is None:
        raise WorkshopError(
            f"{path.name} has no cell that writes {slot.path}: run "
            f"`workshop checkpoint {lesson.number:02d}`, or add the cell back."
        )
    cell = cells[-1]
    mine = attendee_lines(cell.body)
    taken = [i for i in regions_in(shape, mine).get(exercise_id, []) if mine[i].strip()]
    if taken:
        start, end = taken[0], taken[-1] + 1
    else:  # the region is empty: put it where its stub stood
        start = end = min(shape.spans[exercise_id][0], len(mine))
    if solve:
        indent = _indent(shape.solutions[exercise_id])
        lines = [indent + solved_marker(exercise_id), *shape.solutions[exercise_id]]
    else:
        lines = shape.stubs[exercise_id]
    body = "\n".join([*mine[:start], *lines, *mine[end:]])
    earlier = _not_yet_run(root, lesson, notebook, cell)
    target = root / slot.path
    on_disk = target.read_text(encoding="utf-8") if target.is_file() else None
    before = earlier.get(slot.path, on_disk)
    new = notebooks.FileCell(slot.path, body, definitions=cell.definitions)
    text = new.written(before)
    others = [p for p in earlier if p != slot.path]  # slot.path is written anyway
    changed = [f"notebooks/{path.name}", slot.path, *others]
    backup = back_up(
        root,
        [p for p in changed if (root / p).exists()],
        f"before-{'solve' if solve else 'reset'}-{exercise_id}",
    )
    notebook.cells[cell.index].source = file_cell_source(
        slot.path, body, cell.definitions
    )
    path.write_text(notebooks.dumps(notebook), encoding="utf-8")
    write_files(root, {**earlier, slot.path: text})
    done = "solved" if solve else "back to its stub"
    where = f" (your versions are in {backup.relative_to(root)}/)" if backup else ""
    also = ""
    if others:
        also = (
            f"\nAlso written, as the earlier cells of {path.name} write them (they "
            f"had not run yet): {', '.join(others)}."
        )
    return (
        f"Exercise {exercise_id} is {done} in {path.name} and {slot.path}{where}.{also}\n"
        "If the notebook is open in JupyterLab, reload it from disk "
        "(File → Reload Notebook from Disk)."
    )


def _not_yet_run(
    root: Path, lesson: Lesson, notebook: notebooks.Node, cell: notebooks.FileCell
) -> dict[str, str]:
    """The files that cells above `cell` write, where the file is missing or
    still as the lesson or one of those cells left it (never edited by hand):
    {path: the text the last such cell writes}. `cell`'s own file counts only
    when `cell` writes definitions into it, as a stub beside its exercise does."""
    known = {
        path: {text} for path, text in start_of(root, lesson.number).texts().items()
    }
    latest: dict[str, str] = {}
    for above in notebooks.file_cells(notebook.cells):
        if above.index >= cell.index or above.deletes:
            continue
        if above.path == cell.path and not cell.definitions:
            continue  # `cell` writes the whole file
        if above.definitions:  # on the file as the cells above leave it
            start = start_of(root, lesson.number).texts().get(above.path)
            latest[above.path] = above.written(latest.get(above.path, start))
        else:
            latest[above.path] = above.text()
        known.setdefault(above.path, set()).add(latest[above.path])
    pending = {}
    for path, text in latest.items():
        target = root / path
        on_disk = target.read_text(encoding="utf-8") if target.is_file() else None
        if on_disk != text and (on_disk is None or on_disk in known[path]):
            pending[path] = text
    return pending


def _indent(lines: list[str]) -> str:
    first = next((line for line in lines if line.strip()), "")
    return first[: len(first) - len(first.lstrip())]
