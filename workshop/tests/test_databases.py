"""Fresh databases are thrown away: by `forget`, and with the process that made them."""

import os
import subprocess
import sys
from pathlib import Path

from workshop import databases
from workshop.tests.conftest import ROOT

MAKE_ONE = """
import sys
from pathlib import Path
from workshop.databases import SQLITE, fresh_database_url

url = fresh_database_url(Path(sys.argv[1]))
path = Path(url.removeprefix(SQLITE))
print(path, flush=True)
assert path.is_file()
"""


def path_of(url: str) -> Path:
    return Path(url.removeprefix(databases.SQLITE))


def test_a_fresh_database_is_gone_when_its_process_exits() -> None:
    made = subprocess.run(
        [sys.executable, "-c", MAKE_ONE, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    path = Path(made.stdout.strip())
    assert path.name.startswith("workshop-"), made.stdout
    assert not path.exists()
    assert not path.parent.exists()


def test_forget_deletes_the_database_and_its_side_files() -> None:
    url = databases.fresh_database_url(ROOT)
    assert url is not None
    path = path_of(url)
    Path(f"{path}-wal").write_bytes(b"")
    kept = databases.fresh_database_url(ROOT)
    assert kept is not None

    databases.forget(url)

    assert not path.exists()
    assert not Path(f"{path}-wal").exists()
    assert path_of(kept).is_file()  # only the one it was given
    databases.forget(kept)


def test_forget_never_deletes_a_database_it_did_not_make(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.db"
    theirs.write_bytes(b"rows")
    databases.fresh_database_url(ROOT)  # the folder of ours exists

    databases.forget(databases.sqlite_url(theirs))

    assert theirs.read_bytes() == b"rows"


def test_the_copies_of_a_process_that_is_gone_are_swept(tmp_path: Path) -> None:
    """A kernel stopped with SIGKILL cannot clean up: the next process does."""
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = tmp_path / f"copies-{gone.stdout.strip()}-abc"
    alive = tmp_path / f"copies-{os.getpid()}-def"
    for folder in (dead, alive):
        folder.mkdir()
        (folder / "workshop-x.db").write_bytes(b"")

    databases.sweep(tmp_path)

    assert not dead.exists()
    assert alive.exists()
