import json
from pathlib import Path

from workshop.authoring.build import build_files, build_notebooks
from workshop.authoring.fold import managed_files
from workshop.authoring.verify import verify
from workshop.tests.conftest import LEGACY


def writer(root: Path, path: str) -> str:
    written = managed_files(root).written[path]
    return f"solutions/{written.notebook} (cell {written.cell})"


def test_the_checkout_verifies(root: Path) -> None:
    assert verify(root) == []


def test_a_fresh_copy_verifies(workshop_copy: Path) -> None:
    assert verify(workshop_copy) == []


def test_a_hand_edit_to_a_managed_file_is_named(workshop_copy: Path) -> None:
    main = workshop_copy / "app" / "main.py"
    main.write_text(main.read_text() + "# quick fix\n")
    where = writer(workshop_copy, "app/main.py")
    assert verify(workshop_copy) == [f"app/main.py differs from what {where} writes."]


def test_a_deleted_managed_file_is_named(workshop_copy: Path) -> None:
    (workshop_copy / "app" / "config.py").unlink()
    where = writer(workshop_copy, "app/config.py")
    assert verify(workshop_copy) == [f"app/config.py is missing; {where} writes it."]


def test_a_managed_file_no_notebook_writes_is_named(workshop_copy: Path) -> None:
    (workshop_copy / "app" / "routers" / "extra.py").write_text("x = 1\n")
    (workshop_copy / "app" / "__pycache__").mkdir()
    (workshop_copy / "app" / "__pycache__" / "main.cpython-311.pyc").write_bytes(b"")
    problems = verify(workshop_copy)
    assert len(problems) == 1
    assert problems[0].startswith("app/routers/extra.py is a managed file that no")


def test_an_edited_attendee_notebook_is_named(workshop_copy: Path) -> None:
    path = workshop_copy / "notebooks" / "01-structure.ipynb"
    notebook = json.loads(path.read_text())
    notebook["cells"][0]["source"] = ["# edited by hand"]
    path.write_text(json.dumps(notebook))
    (workshop_copy / "notebooks" / "99-orphan.ipynb").write_text("{}")
    assert verify(workshop_copy) == [
        "notebooks/01-structure.ipynb is not a fresh build of "
        "solutions/01-structure.ipynb: edit the solution, then run `workshop build`.",
        "notebooks/99-orphan.ipynb has no source in solutions/: add it there, "
        "or delete it.",
    ]


def test_a_file_a_lesson_deleted_is_named_with_the_deleting_cell(
    moved: Path,
) -> None:
    build_notebooks(moved)
    build_files(moved)
    assert not (moved / LEGACY).exists()
    assert verify(moved) == []
    (moved / LEGACY).write_text("OLD = True\n")
    assert verify(moved) == [
        f"{LEGACY} is still on disk, but solutions/91-moving.ipynb (cell 2) deletes "
        "it: run `workshop build`."
    ]
