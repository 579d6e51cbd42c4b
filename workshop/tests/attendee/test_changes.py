"""What a %%save_file cell prints: the change against the lessons, not the disk."""

from pathlib import Path

from workshop.attendee.changes import (
    GREEN,
    RED,
    Write,
    diff,
    what_changed,
    writes_of,
)
from workshop.authoring.fold import managed_files
from workshop.tests.conftest import LEGACY, add_lesson


def test_a_rewrite_is_diffed_against_the_lessons_before_it(root: Path) -> None:
    writes = writes_of(root, "app/main.py")
    assert writes[0].before is None  # lesson 01 creates it
    before = managed_files(root, through=2).texts()["app/main.py"]
    after = managed_files(root, through=3).texts()["app/main.py"]
    assert before != after
    text = what_changed("app/main.py", after, writes)
    lines = text.splitlines()
    assert (
        lines[0] == f"Saved app/main.py ({after.count(chr(10))} lines). What changed:"
    )
    added = [line for line in lines if line.startswith(GREEN)]
    assert f"{GREEN}+    add_error_handlers(app)\x1b[0m" in added
    assert not any(line.startswith(RED) for line in lines)  # lesson 03 only adds


def test_the_closest_solution_cell_is_chosen_stubs_and_all(root: Path) -> None:
    """An attendee's copy, stubs in place, gets the same cell as the solution."""
    writes = writes_of(root, "app/routers/meta.py")
    assert len(writes) >= 2  # lesson 01 writes it, lesson 03 rewrites it
    first = managed_files(root, through=1, stubbed={"01.2"}).texts()
    assert what_changed(
        "app/routers/meta.py", first["app/routers/meta.py"], writes
    ) == (
        f"Saved app/routers/meta.py ({first['app/routers/meta.py'].count(chr(10))} "
        "lines): a new file."
    )
    later = managed_files(root, through=3).texts()["app/routers/meta.py"]
    assert "What changed:" in what_changed("app/routers/meta.py", later, writes)


def test_a_file_no_lesson_writes_is_just_saved(root: Path) -> None:
    assert writes_of(root, "app/mine.py") == []
    assert what_changed("app/mine.py", "x = 1\n", []) == "Saved app/mine.py (1 line)."


def test_a_long_diff_is_cut_and_says_so() -> None:
    before = "".join(f"line {n}\n" for n in range(100))
    after = "".join(f"row {n}\n" for n in range(100))
    lines = diff(before, after, limit=10)
    assert len(lines) == 11
    assert lines[-1] == "… and 191 more lines of the diff, not shown"


def test_a_file_brought_back_after_its_deletion_is_new_again(moved: Path) -> None:
    add_lesson(moved, "92-again", f"%%save_file {LEGACY}\nNEW = True")
    writes = writes_of(moved, LEGACY)
    assert [w.before for w in writes] == [None, None]  # 91 deleted it in between
    assert what_changed(LEGACY, "NEW = True\n", writes).endswith(": a new file.")


def test_the_same_text_as_before_says_so() -> None:
    writes = [Write("x = 1\n", ("x = 1\n", "x = 0\n"))]
    assert what_changed("app/x.py", "x = 1\n", writes) == (
        "Saved app/x.py (1 line): the same as the lessons before left it."
    )
