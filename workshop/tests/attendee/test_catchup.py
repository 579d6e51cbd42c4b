from pathlib import Path

import pytest

from workshop.attendee.catchup import checkpoint, describe, finish
from workshop.authoring.fold import lesson_numbers, parse_lesson, state_at
from workshop.project import WorkshopError, managed_on_disk


def last_lesson(root: Path) -> int:
    return max(lesson_numbers(root))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_checkpoint_restores_the_start_of_a_lesson(workshop_copy: Path) -> None:
    (workshop_copy / "app" / "main.py").write_text("broken(\n")
    result = checkpoint(workshop_copy, last_lesson(workshop_copy))
    on_disk = {p: f.read_text() for p, f in managed_on_disk(workshop_copy).items()}
    assert on_disk == state_at(workshop_copy, last_lesson(workshop_copy))
    assert "app/main.py" in result.written + result.removed


def test_checkpoint_backs_up_everything_it_replaces(workshop_copy: Path) -> None:
    (workshop_copy / "app" / "main.py").write_text("my own main\n")
    (workshop_copy / "app" / "notes.py").write_text("my own notes\n")
    result = checkpoint(workshop_copy, 1)  # the start: no managed files at all
    assert managed_on_disk(workshop_copy) == {}
    assert result.backup is not None
    backup = snapshot(result.backup)
    assert backup["app/main.py"] == b"my own main\n"
    assert backup["app/notes.py"] == b"my own notes\n"
    assert "app/config.py" in backup  # unchanged files that had to go are kept too
    assert ".workshop/backups/" in describe(result, workshop_copy)


def test_a_second_checkpoint_replaces_nothing(workshop_copy: Path) -> None:
    checkpoint(workshop_copy, last_lesson(workshop_copy))
    again = checkpoint(workshop_copy, last_lesson(workshop_copy))
    assert (again.written, again.removed, again.backup) == ([], [], None)
    assert "no backup was needed" in describe(again, workshop_copy)


def test_two_checkpoints_in_one_second_keep_both_backups(workshop_copy: Path) -> None:
    (workshop_copy / "app" / "main.py").write_text("first\n")
    first = checkpoint(workshop_copy, 1)
    (workshop_copy / "app" / "main.py").write_text("second\n")
    second = checkpoint(workshop_copy, 1)
    assert first.backup != second.backup
    assert (first.backup / "app/main.py").read_text() == "first\n"
    assert (second.backup / "app/main.py").read_text() == "second\n"


@pytest.mark.parametrize("lesson", ["42", "abc", "", "-1"])
def test_a_bad_lesson_changes_nothing(workshop_copy: Path, lesson: str) -> None:
    before = snapshot(workshop_copy)
    with pytest.raises(WorkshopError, match="notebook"):
        checkpoint(workshop_copy, parse_lesson(lesson))
    assert snapshot(workshop_copy) == before


def test_finish_brings_back_the_final_state(workshop_copy: Path) -> None:
    before = snapshot(workshop_copy)
    checkpoint(workshop_copy, 1)
    finish(workshop_copy)
    after = {k: v for k, v in snapshot(workshop_copy).items() if ".workshop" not in k}
    assert after == before
