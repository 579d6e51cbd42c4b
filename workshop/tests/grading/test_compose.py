"""The files a job grades: the lesson's, with the attendee's answers written in."""

from __future__ import annotations

from pathlib import Path

from workshop.authoring import fold
from workshop.authoring.fold import ManagedFiles
from workshop.authoring.notebooks import FileCell
from workshop.grading.compose import Composer, syntax_error, writable
from workshop.grading.reading import file_cells
from workshop.grading.work import read_work
from workshop.tests.conftest import LEGACY, MODERN
from workshop.tests.grading.corpus import attendee_notebook, everything, lesson

TOKEN_CHECK = (
    '    return {"status": "ok", "version": request.app.state.settings.version}'
)


def composer(root: Path, number: int) -> Composer:
    lessons = {ls.number: ls for ls in fold.lessons(root)}
    start = ManagedFiles()
    for earlier in lessons.values():
        for cell in earlier.file_cells if earlier.number < number else ():
            start.apply(earlier, cell)
    return Composer(lessons[number], start)


def test_the_template_is_the_lesson_end_with_its_exercises_stubbed(root: Path) -> None:
    files = composer(root, 1).template
    assert '"version"' not in files["app/routers/health.py"]  # 01.1 is a stub
    assert "app/schemas/users.py" not in files  # nothing from lesson 02
    assert '"version"' in composer(root, 2).template["app/routers/health.py"]


def test_the_template_honours_a_deletion(moved: Path) -> None:
    assert LEGACY in composer(moved, 90).template
    assert LEGACY not in composer(moved, 91).template
    assert MODERN in composer(moved, 91).template


def test_only_the_regions_come_from_the_attendee(root: Path) -> None:
    def edit(path: str, text: str) -> str:
        return text.replace("version=settings.version,", "version='mine',")

    notebook = attendee_notebook(1, {"01.1"}, edit=edit)
    composed = composer(root, 1).regions(
        read_work(lesson(1), file_cells(notebook.cells))
    )
    assert list(composed.files) == ["app/routers/health.py"]
    assert TOKEN_CHECK in composed.files["app/routers/health.py"]
    assert not composed.broken and not composed.errors


def test_an_answer_that_does_not_compile_is_named_and_left_as_its_stub(
    root: Path,
) -> None:
    notebook = attendee_notebook(1, {"01.1"}, {"01.3": "        title=settings.name"})
    composed = composer(root, 1).regions(
        read_work(lesson(1), file_cells(notebook.cells))
    )
    assert composed.broken == {
        "01.3": "app/main.py, line 32: invalid syntax. Perhaps you forgot a comma?"
    }
    assert list(composed.files) == ["app/routers/health.py"]


def test_whole_files_are_written_as_the_attendee_wrote_them(root: Path) -> None:
    cells = file_cells(attendee_notebook(1, everything(1)).cells)
    cells += [
        FileCell("app/routers/meta.py", None, 90),
        FileCell("app/broken.py", "def (:\n", 91),
        FileCell("app/routers", "x = 1\n", 92),
    ]
    composed = composer(root, 1).whole(cells)
    assert composed.deleted == ("app/routers/meta.py",)
    assert composed.errors == ["app/broken.py, line 1: invalid syntax"]
    assert composed.skipped == ["app/routers"]


def test_what_a_file_cell_may_write() -> None:
    template = {"app/routers/health.py": ""}
    assert writable("app/new.py", template)
    assert not writable("app/routers", template)
    assert not writable("app/x\x00y.py", template)
    assert not writable("../app/x.py", template)
    assert not writable("/etc/passwd", template)
    assert syntax_error("notes.md", "(") is None
    assert syntax_error("app/x.py", "x = 1\n") is None
