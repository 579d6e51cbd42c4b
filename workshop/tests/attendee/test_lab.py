"""The notebook helpers: files land in the project, and the next import sees them."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from workshop.authoring.notebooks import read
from workshop.authoring.sandbox import make_sandbox
from workshop.project import solution_notebooks
from workshop.tests.conftest import LEGACY


def run_in(folder: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a new interpreter that writes bytecode, as laptops do."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_rewritten_module_is_seen_without_a_restart(tmp_path: Path) -> None:
    box = make_sandbox(Path(__file__).resolve().parents[3], tmp_path / "w")
    notebooks = box / "notebooks"
    result = run_in(
        notebooks,
        """
        import sys
        sys.path.insert(0, "..")
        from workshop.attendee.lab import forget_app_modules, save_file
        print(save_file("app/value.py", "VALUE = 1"))
        import app.value                     # writes app/__pycache__/value.*.pyc
        first = app.value.VALUE
        print(save_file("app/value.py", "VALUE = 2"))   # same size, same second
        import app.value
        print(first, app.value.VALUE)
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Saved app/value.py (1 line).",
        "Saved app/value.py (1 line).",
        "1 2",
    ]
    assert (box / "app" / "value.py").read_text() == "VALUE = 2\n"
    assert not (notebooks / "app").exists()  # relative to the project, not the cwd


def test_fresh_client_serves_the_code_on_disk(tmp_path: Path) -> None:
    box = make_sandbox(Path(__file__).resolve().parents[3], tmp_path / "w")
    result = run_in(
        box / "notebooks",
        """
        import sys
        sys.path.insert(0, "..")
        from workshop.attendee.lab import fresh_client, save_file
        client = fresh_client()
        print(client.get("/health").json()["status"])
        save_file("app/routers/health.py", '''
        from fastapi import APIRouter
        router = APIRouter()
        @router.get("/health")
        def health() -> dict[str, str]:
            return {"status": "rewritten"}
        '''.replace("\\n        ", "\\n"))
        print(fresh_client().get("/health").json()["status"])
        print(fresh_client(version="2.0").get("/openapi.json").json()["info"]["version"])
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["ok", "rewritten", "2.0"]


def test_a_cell_cannot_save_outside_the_workshop_files(tmp_path: Path) -> None:
    box = make_sandbox(Path(__file__).resolve().parents[3], tmp_path / "w")
    result = run_in(
        box / "notebooks",
        """
        import sys
        sys.path.insert(0, "..")
        from workshop.attendee.lab import save_file
        print(save_file("../escaped.py", "x = 1"))
        print(save_file("workshop/checking.py", "x = 1"))
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Not saved: ") == 2
    assert not (tmp_path / "escaped.py").exists()
    assert "x = 1" not in (box / "workshop" / "checking.py").read_text()


def test_delete_file_keeps_your_version_and_says_the_same_every_time(
    moved: Path,
) -> None:
    result = run_in(
        moved / "notebooks",
        """
        import sys
        sys.path.insert(0, "..")
        from IPython.core.interactiveshell import InteractiveShell
        shell = InteractiveShell.instance()
        shell.run_line_magic("load_ext", "workshop")
        shell.run_cell("%%save_file app/legacy.py\\nOLD = True")
        shell.run_cell("import app.legacy")        # writes its bytecode
        shell.run_cell("%delete_file app/legacy.py")  # as the lessons wrote it
        shell.run_cell("%delete_file app/legacy.py")  # a second run
        shell.run_cell("%%save_file app/legacy.py\\nOLD = 'mine'")
        shell.run_cell("%delete_file app/legacy.py")  # an attendee's own version
        shell.run_cell("%delete_file ../outside.py")
        try:
            import app.legacy
        except ModuleNotFoundError:
            print("gone")
        """,
    )
    assert result.returncode == 0, result.stderr
    deleted = (
        "Deleted app/legacy.py (if you had changed it, your version is kept in "
        ".workshop/backups/)"
    )
    assert result.stdout.splitlines() == [
        "Saved app/legacy.py (1 line): a new file.",
        deleted,
        deleted,
        "Saved app/legacy.py (1 line): a new file.",
        deleted,
        "Not deleted: ../outside.py is not a workshop file. Cells delete files "
        "under app/, tests/ or alembic/, or the deployment files.",
        "gone",
    ]
    assert not (moved / LEGACY).exists()
    assert not list((moved / "app" / "__pycache__").glob("legacy.*.pyc"))
    backups = list((moved / ".workshop" / "backups").glob("*/app/legacy.py"))
    assert [b.read_text() for b in backups] == ["OLD = 'mine'\n"]


def test_the_calls_the_room_projects_work_after_any_lessons_setup_cell(
    tmp_path: Path,
) -> None:
    """`join(...)` from the board and `submit(...)` from the instructor's guide,
    typed in a fresh kernel right after each lesson's setup cell."""
    root = Path(__file__).resolve().parents[3]
    box = make_sandbox(root, tmp_path / "w")
    setups = {
        path.name: next(c.source for c in read(path).cells if c.cell_type == "code")
        for path in solution_notebooks(box)
    }
    result = run_in(
        box / "notebooks",
        f"""
        import sys
        sys.path.insert(0, "..")
        from IPython.core.interactiveshell import InteractiveShell
        for name, setup in {setups!r}.items():
            InteractiveShell.clear_instance()
            shell = InteractiveShell.instance()
            shell.run_cell(setup)
            for call in (
                'join("http://127.0.0.1:9", "CODE", "your name")',
                'submit("ada-lovelace")',
            ):
                outcome = shell.run_cell(call)
                print(name, call.split("(")[0], outcome.error_in_exec is None)
        """,
    )
    assert result.returncode == 0, result.stderr
    assert "NameError" not in result.stdout + result.stderr
    assert result.stdout.count(" True") == 2 * len(setups), result.stdout


def test_fresh_client_keeps_a_database_it_restarts_on_and_deletes_the_others(
    tmp_path: Path,
) -> None:
    box = make_sandbox(Path(__file__).resolve().parents[3], tmp_path / "w")
    result = run_in(
        box / "notebooks",
        """
        import sys
        from pathlib import Path
        sys.path.insert(0, "..")
        from workshop.attendee.lab import fresh_client
        from workshop.databases import SQLITE

        first = fresh_client()
        url = first.app.state.settings.database_url.get_secret_value()
        path = Path(url.removeprefix(SQLITE))
        fresh_client(database_url=url)  # a restart on the same database
        print(path.exists())
        fresh_client()  # a new one: the old database goes
        print(path.exists())
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def test_the_magic_writes_definitions_into_the_file_and_the_next_import_sees_them(
    moved: Path,
) -> None:
    result = run_in(
        moved / "notebooks",
        """
        import sys
        sys.path.insert(0, "..")
        from IPython.core.interactiveshell import InteractiveShell
        shell = InteractiveShell.instance()
        shell.run_line_magic("load_ext", "workshop")
        shell.run_cell("%%save_file app/legacy.py\\nOLD = True\\nKEPT = 1")
        shell.run_cell("import app.legacy")
        shell.run_cell("%%save_file app/legacy.py --definitions\\nOLD = False")
        shell.run_cell("import app.legacy; print(app.legacy.OLD, app.legacy.KEPT)")
        shell.run_cell("%%save_file app/legacy.py --everything\\nOLD = 2")
        """,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Saved app/legacy.py (2 lines): a new file."
    assert lines[1] == "Saved app/legacy.py (2 lines). What changed:"
    assert "False 1" in lines
    assert (
        lines[-1] == "Not saved: '--everything' is not an option (only --definitions)."
    )
    assert (moved / LEGACY).read_text() == "OLD = False\nKEPT = 1\n"
