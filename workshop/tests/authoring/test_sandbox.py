from pathlib import Path

from workshop.authoring.fold import start_of
from workshop.authoring.sandbox import make_sandbox
from workshop.project import managed_on_disk


def test_a_sandbox_holds_the_lesson_state_and_no_local_state(
    workshop_copy: Path, tmp_path: Path
) -> None:
    (workshop_copy / ".env").write_text("APP_NAME=Local\n")
    (workshop_copy / "app" / "scratch.py").write_text("mine = True\n")
    (workshop_copy / ".workshop" / "backups").mkdir(parents=True)
    box = make_sandbox(workshop_copy, tmp_path / "box", lesson=2)
    on_disk = {path: file.read_text() for path, file in managed_on_disk(box).items()}
    assert on_disk == start_of(workshop_copy, 2).texts()
    assert not (box / ".env").exists()
    assert not (box / ".workshop").exists()
    assert (box / "solutions").is_dir() and (box / "workshop").is_dir()
