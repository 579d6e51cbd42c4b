"""start("NN") says where the files are, against the start of lesson NN."""

from pathlib import Path

from workshop.attendee.catchup import catch_up
from workshop.attendee.progress import where
from workshop.authoring.fold import managed_files
from workshop.disk import write_files


def test_at_the_start(workshop_copy: Path) -> None:
    catch_up(workshop_copy, 3)
    assert where(workshop_copy, 3) == "Your files are at the start of lesson 03."


def test_after_running_the_lesson(workshop_copy: Path) -> None:
    catch_up(workshop_copy, 3)
    write_files(workshop_copy, managed_files(workshop_copy, through=3).texts())
    assert where(workshop_copy, 3) == (
        "Your files are as lesson 03 leaves them (you ran it before)."
    )


def test_a_fresh_clone_is_told_how_to_catch_up(workshop_copy: Path) -> None:
    text = where(workshop_copy, 1)  # the finished service, not lesson 01's start
    count = len(managed_files(workshop_copy).written)
    assert text.startswith(
        f"{count} of your files differ from the start of lesson 01 ("
    )
    assert text.endswith(
        ', …): to catch up, run checkpoint("01") — your files are backed up first.'
    )


def test_one_file_of_your_own(workshop_copy: Path) -> None:
    catch_up(workshop_copy, 2)
    (workshop_copy / "app" / "scratch.py").write_text("x = 1\n")
    assert where(workshop_copy, 2) == (
        "1 of your files differs from the start of lesson 02 (app/scratch.py): to "
        'catch up, run checkpoint("02") — your files are backed up first.'
    )
