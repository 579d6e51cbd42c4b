from pathlib import Path

import pytest

from workshop.attendee.catchup import catch_up
from workshop.authoring.fold import lessons, parse_lesson, start_of
from workshop.disk import report
from workshop.project import WorkshopError, managed_on_disk
from workshop.tests.conftest import LEGACY, add_lesson, snapshot


def last_lesson(root: Path) -> int:
    return max(lesson.number for lesson in lessons(root))


def state_at(root: Path, lesson: int) -> dict[str, str]:
    return start_of(root, lesson).texts()


def test_checkpoint_restores_the_start_of_a_lesson(workshop_copy: Path) -> None:
    (workshop_copy / "app" / "main.py").write_text("broken(\n")
    result = catch_up(workshop_copy, last_lesson(workshop_copy))
    on_disk = {p: f.read_text() for p, f in managed_on_disk(workshop_copy).items()}
    assert on_disk == state_at(workshop_copy, last_lesson(workshop_copy))
    assert "app/main.py" in result.written + result.removed


def test_checkpoint_backs_up_everything_it_replaces(workshop_copy: Path) -> None:
    (workshop_copy / "app" / "main.py").write_text("my own main\n")
    (workshop_copy / "app" / "notes.py").write_text("my own notes\n")
    result = catch_up(workshop_copy, 1)  # the start: no managed files at all
    assert managed_on_disk(workshop_copy) == {}
    assert result.backup is not None
    backup = snapshot(result.backup)
    assert backup["app/main.py"] == b"my own main\n"
    assert backup["app/notes.py"] == b"my own notes\n"
    assert "app/config.py" in backup  # unchanged files that had to go are kept too
    assert ".workshop/backups/" in report(result, workshop_copy)
    assert result.own == ["app/main.py", "app/notes.py"]  # the lessons' are not named
    assert report(result, workshop_copy).endswith(
        "Among them, work of your own (no lesson writes these files so): "
        "app/main.py, app/notes.py"
    )


def test_a_second_checkpoint_replaces_nothing(workshop_copy: Path) -> None:
    catch_up(workshop_copy, last_lesson(workshop_copy))
    again = catch_up(workshop_copy, last_lesson(workshop_copy))
    assert (again.written, again.removed, again.backup) == ([], [], None)
    assert "no backup was needed" in report(again, workshop_copy)


def test_two_checkpoints_in_one_second_keep_both_backups(workshop_copy: Path) -> None:
    (workshop_copy / "app" / "main.py").write_text("first\n")
    first = catch_up(workshop_copy, 1)
    (workshop_copy / "app" / "main.py").write_text("second\n")
    second = catch_up(workshop_copy, 1)
    assert first.backup != second.backup
    assert (first.backup / "app/main.py").read_text() == "first\n"
    assert (second.backup / "app/main.py").read_text() == "second\n"


@pytest.mark.parametrize("lesson", ["42", "abc", "", "-1"])
def test_a_bad_lesson_changes_nothing(workshop_copy: Path, lesson: str) -> None:
    before = snapshot(workshop_copy)
    with pytest.raises(WorkshopError, match="notebook"):
        catch_up(workshop_copy, parse_lesson(lesson))
    assert snapshot(workshop_copy) == before


def test_a_checkpoint_after_a_deletion_removes_the_file_and_keeps_it(
    moved: Path,
) -> None:
    add_lesson(moved, "92-after", "x = 1")
    catch_up(moved, 91)
    (moved / LEGACY).write_text("OLD = 'mine'\n")
    result = catch_up(moved, 92)
    assert not (moved / LEGACY).exists()
    assert result.removed == [LEGACY]
    assert result.backup is not None
    assert (result.backup / LEGACY).read_text() == "OLD = 'mine'\n"
    assert catch_up(moved, 91).written == [LEGACY]  # back to before the move
