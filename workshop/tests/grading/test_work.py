"""Reading an attendee's work: each exercise's code, and what else changed."""

from __future__ import annotations

from workshop.authoring import notebooks
from workshop.authoring.notebooks import FileCell, file_cell_source
from workshop.grading.alignment import template
from workshop.grading.reading import file_cells
from workshop.grading.work import Work, read_work
from workshop.tests.grading.corpus import (
    attendee_notebook,
    everything,
    lesson,
    region_solution,
    typed_in,
)

ONE = lesson(1)


def work_of(notebook: notebooks.Node, number: int = 1) -> Work:
    return read_work(lesson(number), file_cells(notebook.cells))


def test_the_solution_typed_in_is_each_exercises_answer() -> None:
    work = work_of(attendee_notebook(1, everything(1)))
    assert work.started == ["01.1", "01.2", "01.3"]
    for exercise in ONE.exercises:
        solution = template(ONE.bodies[ONE.homes[exercise]]).solutions[exercise]
        typed = typed_in(solution).strip("\n").split("\n")
        assert work.answers[exercise].lines == typed
    assert not work.changed and not work.added and not work.copies


def test_stubs_are_not_started_and_a_deleted_cell_is_missing() -> None:
    notebook = attendee_notebook(1)
    notebook.cells = [
        c for c in notebook.cells if not c.source.startswith("%%save_file app/main.py")
    ]
    work = work_of(notebook)
    assert work.started == []
    assert set(work.answers) == {"01.1", "01.2"}


def test_an_edit_outside_the_regions_is_flagged_but_comments_are_not() -> None:
    def edit(path: str, text: str) -> str:
        if path == "app/main.py":
            return text.replace("version=settings.version,", "version='9.9.9',")
        return text.replace(
            'router = APIRouter(tags=["meta"])',
            '# mine\nrouter = APIRouter(tags=["meta"])  ',
        )

    verbatim = {e: "\n".join(region_solution(ONE, e)) for e in ONE.exercises}
    work = work_of(attendee_notebook(1, answers=verbatim, edit=edit))
    assert list(work.changed) == ["app/main.py"]
    assert "-        version=settings.version," in work.changed["app/main.py"]
    assert work.started == ["01.1", "01.2", "01.3"]


def test_an_edited_line_next_to_a_region_is_not_taken_for_the_answer() -> None:
    def edit(path: str, text: str) -> str:
        return text.replace("max_length=1000", "max_length=10**9")

    work = work_of(attendee_notebook(2, edit=edit), 2)
    assert work.started == []
    assert list(work.changed) == ["app/schemas/items.py"]


def test_added_cells_and_copied_cells() -> None:
    notebook = attendee_notebook(1)
    index = next(
        i
        for i, c in enumerate(notebook.cells)
        if c.source.startswith("%%save_file app/routers/health.py")
    )
    solved = attendee_notebook(1, {"01.1"}).cells[index].source
    notebook.cells.insert(
        index + 1, notebooks.Node(notebook.cells[index], id="copy", source=solved)
    )
    notebook.cells.append(
        notebooks.Node(
            notebook.cells[index],
            id="new",
            source=file_cell_source("app/extra.py", "x = 1"),
        )
    )
    work = work_of(notebook)
    assert work.copies == ["app/routers/health.py"]
    assert work.started == [
        "01.1"
    ]  # the copy below the original is the one that counts
    assert work.added == ["app/extra.py"]


def test_a_cell_pasted_from_the_solutions_keeps_its_solution() -> None:
    cells = [FileCell(c.path, c.body, c.index, c.nth) for c in ONE.file_cells]
    work = read_work(ONE, cells)
    assert work.started == ["01.1", "01.2", "01.3"] and not work.changed
