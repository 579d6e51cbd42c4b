"""A save keeps what was edited by hand since the notebook last wrote the file."""

from pathlib import Path

from workshop.attendee.saving import RECORD, delete_file, save_file
from workshop.authoring.sandbox import make_sandbox

HEALTH = "app/routers/health.py"


def backups(box: Path) -> list[Path]:
    return sorted((box / ".workshop" / "backups").glob(f"*/{HEALTH}"))


def test_a_file_as_the_lessons_wrote_it_is_replaced_without_a_backup(
    workshop_copy: Path,
) -> None:
    message = save_file(workshop_copy, HEALTH, "VALUE = 1")
    assert "edited outside this notebook" not in message
    assert backups(workshop_copy) == []
    assert (workshop_copy / RECORD).is_file()


def test_a_second_save_of_your_own_text_needs_no_backup(workshop_copy: Path) -> None:
    save_file(workshop_copy, HEALTH, "VALUE = 1")
    message = save_file(workshop_copy, HEALTH, "VALUE = 2")
    assert "edited outside" not in message and backups(workshop_copy) == []


def test_a_hand_edit_is_kept_and_the_message_says_where(workshop_copy: Path) -> None:
    save_file(workshop_copy, HEALTH, "VALUE = 1")
    (workshop_copy / HEALTH).write_text("VALUE = 'edited in my editor'\n")
    message = save_file(workshop_copy, HEALTH, "VALUE = 2")
    [kept] = backups(workshop_copy)
    assert kept.read_text() == "VALUE = 'edited in my editor'\n"
    assert message.splitlines()[-1] == (
        "The file had been edited outside this notebook since it last saved it; "
        f"that version is kept in {kept.relative_to(workshop_copy)}"
    )
    assert (workshop_copy / HEALTH).read_text() == "VALUE = 2\n"


def test_a_file_from_elsewhere_with_unknown_text_is_kept(tmp_path: Path) -> None:
    box = make_sandbox(Path(__file__).resolve().parents[3], tmp_path / "w", lesson=2)
    (box / HEALTH).write_text("mine = True\n")  # never saved by a notebook
    assert "edited outside" in save_file(box, HEALTH, "VALUE = 1")
    assert len(backups(box)) == 1


def test_deleting_forgets_what_was_saved(workshop_copy: Path) -> None:
    save_file(workshop_copy, HEALTH, "VALUE = 1")
    delete_file(workshop_copy, HEALTH)
    assert HEALTH not in (workshop_copy / RECORD).read_text()
