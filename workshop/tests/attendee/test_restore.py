"""Save, lose the session, restore: an attendee mid-lesson 04 loses nothing.

A Binder session is deleted when it idles; `workshop save` zips the progress
and `workshop restore` brings it back into a fresh clone. These tests save a
session in the middle of lesson 04 (some of its cells run, an answer half
typed in the notebook, a file of the attendee's own, a hand edit, an earlier
backup), restore it into a fresh clone, and compare every byte. They also prove
that a zip of other lessons, or one that reaches outside the workshop, changes
nothing.
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
from pathlib import Path

import pytest

from workshop import cli, disk
from workshop.attendee import keep
from workshop.attendee.keep import ARCHIVE, MANIFEST, RECORD, save_progress
from workshop.attendee.restore import restore
from workshop.attendee.saving import save_file
from workshop.authoring import notebooks
from workshop.authoring.fold import lessons
from workshop.authoring.sandbox import make_sandbox
from workshop.handin import submit
from workshop.project import WorkshopError, managed_on_disk
from workshop.tests.conftest import ROOT, snapshot

LESSON = 4
OWN_CODE = "\n# my own line, typed in the cell\n"


def _lesson_04_cells() -> list:
    lesson = next(ls for ls in lessons(ROOT) if ls.number == LESSON)
    writes = [cell for cell in lesson.file_cells if not cell.deletes]
    assert len(writes) >= 4, "lesson 04 should write several files"
    return writes


def _progress(root: Path) -> dict[str, bytes]:
    """What an attendee would miss: notebooks, managed files, record, backups."""
    found = {
        f"notebooks/{p.name}": p.read_bytes()
        for p in (root / "notebooks").glob("*.ipynb")
    }
    found.update({path: p.read_bytes() for path, p in managed_on_disk(root).items()})
    found[RECORD] = (root / RECORD).read_bytes()
    backups = snapshot(root / disk.BACKUPS)
    found.update({f"{disk.BACKUPS.as_posix()}/{k}": v for k, v in backups.items()})
    return found


@pytest.fixture
def mid_lesson(tmp_path: Path) -> Path:
    """A session at the start of lesson 04, half-way through it, with work of
    the attendee's own in its files and notebook."""
    session = make_sandbox(ROOT, tmp_path / "session", LESSON)
    (session / "app" / "config.py").write_text("# my note\n", encoding="utf-8")
    disk.back_up(session, ["app/config.py"], "earlier")  # a backup from the day
    cells = _lesson_04_cells()
    for cell in cells[: len(cells) // 2]:  # the attendee ran half the lesson's cells
        save_file(session, cell.path, cell.resolved(stubbed=True))
    mine = cells[0]  # and typed some code of their own into the first one
    save_file(session, mine.path, mine.resolved(stubbed=True) + OWN_CODE)
    (session / "app" / "notes.py").write_text("TODO = 'ask about scopes'\n")
    main = session / "app" / "main.py"
    main.write_text(main.read_text() + "# tried something here\n")
    path = session / "notebooks" / "04-auth.ipynb"
    notebook = notebooks.read(path)
    stub = next(c for c in notebook.cells if "# TODO" in c.source or "pass" in c.source)
    stub.source += "\n# half of my answer"
    path.write_text(notebooks.dumps(notebook), encoding="utf-8")
    return session


def test_a_restored_session_is_the_saved_one_byte_for_byte(
    mid_lesson: Path, tmp_path: Path
) -> None:
    saved = _progress(mid_lesson)
    archive = save_progress(mid_lesson, tmp_path / "download").archive
    fresh = make_sandbox(ROOT, tmp_path / "fresh")  # a new session: a fresh clone
    finished = {path: p.read_bytes() for path, p in managed_on_disk(fresh).items()}
    result = restore(archive, fresh)
    after = _progress(fresh)
    assert result.backup is not None
    new_backup = f"{disk.BACKUPS.as_posix()}/{result.backup.name}/"
    assert {k: v for k, v in after.items() if not k.startswith(new_backup)} == saved
    assert set(managed_on_disk(fresh)) == set(managed_on_disk(mid_lesson))
    # what the fresh clone had is kept, the finished service included
    kept = snapshot(result.backup)
    assert kept["app/main.py"] == finished["app/main.py"]
    assert {p for p in finished if p not in saved} <= set(kept)
    assert "before-restore" in result.backup.name


def test_the_next_cell_after_a_restore_carries_on_as_before(
    mid_lesson: Path, tmp_path: Path
) -> None:
    """The record of saves comes along: rerunning a cell that saved the
    attendee's own code is not taken for a hand edit in the new session, and a
    real hand edit still is."""
    archive = save_progress(mid_lesson, tmp_path).archive
    fresh = make_sandbox(ROOT, tmp_path / "fresh")
    restore(archive, fresh)
    mine = _lesson_04_cells()[0]
    assert (fresh / mine.path).read_text().endswith(OWN_CODE)
    message = save_file(fresh, mine.path, mine.resolved(stubbed=True))
    assert "edited outside this notebook" not in message
    edited = save_file(fresh, "app/main.py", "app = None\n")
    assert "edited outside this notebook" in edited  # the hand edit is kept


def test_the_zip_names_its_lessons_and_holds_only_progress(mid_lesson: Path) -> None:
    archive = save_progress(mid_lesson).archive
    assert archive == mid_lesson / ARCHIVE
    with zipfile.ZipFile(archive) as zipped:
        manifest = json.loads(zipped.read(MANIFEST))
        names = set(zipped.namelist())
    assert manifest["lessons"] == keep.lessons_version(ROOT)
    assert names == {MANIFEST, *manifest["files"]}
    assert "notebooks/04-auth.ipynb" in names and "app/notes.py" in names
    assert not {n for n in names if n.startswith(("solutions/", "workshop/", ".git"))}


def test_a_zip_of_other_lessons_is_refused_and_nothing_changes(
    mid_lesson: Path, tmp_path: Path
) -> None:
    archive = save_progress(mid_lesson, tmp_path).archive
    fresh = make_sandbox(ROOT, tmp_path / "fresh")
    lesson = fresh / "solutions" / "02-schemas.ipynb"  # another version's lessons
    notebook = notebooks.read(lesson)
    notebook.cells[0].source += "\nA sentence the other version has."
    lesson.write_text(notebooks.dumps(notebook), encoding="utf-8")
    before = snapshot(fresh)
    with pytest.raises(WorkshopError, match="another version of the workshop"):
        restore(archive, fresh)
    assert snapshot(fresh) == before


def test_outputs_do_not_make_another_version(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    (copy / "solutions").mkdir(parents=True)
    for source in (ROOT / "solutions").glob("*.ipynb"):
        (copy / "solutions" / source.name).write_bytes(source.read_bytes())
    lesson = copy / "solutions" / "01-structure.ipynb"
    notebook = notebooks.read(lesson)
    code = next(c for c in notebook.cells if c.cell_type == "code")
    code.outputs = [{"output_type": "stream", "name": "stdout", "text": "other\n"}]
    lesson.write_text(notebooks.dumps(notebook), encoding="utf-8")
    assert keep.lessons_version(copy) == keep.lessons_version(ROOT)


@pytest.fixture(scope="module")
def untouched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fresh clone for the refusals, which must leave it as it is."""
    return make_sandbox(ROOT, tmp_path_factory.mktemp("refusals") / "fresh")


def _forged(tmp_path: Path, name: str, *, link: bool = False) -> Path:
    archive = tmp_path / "forged.zip"
    manifest = {"format": keep.FORMAT, "lessons": keep.lessons_version(ROOT)}
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(MANIFEST, json.dumps(manifest))
        out.writestr("app/main.py", "app = 'from the zip'\n")
        info = zipfile.ZipInfo(name)
        if link:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        out.writestr(info, "/etc/passwd" if link else "x = 1\n")
    return archive


@pytest.mark.parametrize(
    ("name", "link"),
    [
        ("../escaped.py", False),
        ("app/../../escaped.py", False),
        ("/tmp/escaped.py", False),
        (".git/config", False),
        ("solutions/01-structure.ipynb", False),
        ("workshop/checking.py", False),
        ("notebooks/sub/01-structure.ipynb", False),
        ("app\\..\\..\\escaped.py", False),
        ("app/link.py", True),
    ],
)
def test_a_zip_that_reaches_outside_the_progress_changes_nothing(
    tmp_path: Path, untouched: Path, name: str, link: bool
) -> None:
    fresh = untouched
    before = snapshot(fresh)
    with pytest.raises(WorkshopError, match=r"nothing was restored|not a plain file"):
        restore(_forged(tmp_path, name, link=link), fresh)
    assert snapshot(fresh) == before
    assert not (tmp_path / "escaped.py").exists()


def test_a_submission_zip_is_not_a_progress_zip(
    tmp_path: Path, untouched: Path
) -> None:
    handed = submit("ada", untouched, tmp_path).archive
    before = snapshot(untouched)
    with pytest.raises(WorkshopError, match="workshop save"):
        restore(handed, untouched)
    assert snapshot(untouched) == before


def test_the_commands_save_and_restore_from_the_workshop_folder(
    mid_lesson: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(mid_lesson)
    assert cli.main(["save"]) == 0
    assert "workshop restore workshop-progress.zip" in capsys.readouterr().out
    fresh = make_sandbox(ROOT, tmp_path / "fresh")
    (fresh / ARCHIVE).write_bytes((mid_lesson / ARCHIVE).read_bytes())  # uploaded
    monkeypatch.chdir(fresh / "notebooks")  # where a notebook's kernel runs
    assert cli.main(["restore", ARCHIVE]) == 0
    out = capsys.readouterr().out
    assert re.search(r"What it replaced is kept in \.workshop/backups/\S+", out)
    assert "Reload Notebook from Disk" in out
    assert (fresh / "app" / "notes.py").read_text() == "TODO = 'ask about scopes'\n"
    assert cli.main(["restore", "missing.zip"]) == 2
    assert "upload the zip" in capsys.readouterr().err


def test_the_notebook_link_downloads_the_zip(
    mid_lesson: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(mid_lesson / "notebooks")
    shown = save_progress(mid_lesson)._repr_html_()
    assert f'href="../{ARCHIVE}" download="{ARCHIVE}"' in shown
    assert f'restore("{ARCHIVE}")' in shown
