"""The grader's scratch folder: gone at the end, or at the next run if it was killed."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.grading import workdir
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import attendee_notebook, descendants, save

HANGS = "while True:\n    pass\n"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_a_run_folder_is_removed_at_the_end_even_on_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(RuntimeError), workdir.run_folder() as folder:
        assert folder.parent.stat().st_mode & 0o777 == 0o700
        (folder / "x").write_text("x")
        raise RuntimeError
    assert not folder.exists()


def test_the_last_run_to_end_removes_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with workdir.run_folder() as first:
        with workdir.run_folder() as second:
            assert first.parent == second.parent
        assert first.parent.is_dir()  # the first run still works in it
    assert list(tmp_path.iterdir()) == []


def test_a_parent_removed_by_another_grader_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    cleaned = workdir.clean_stale
    removed: list[Path] = []

    def another_grader_ends(base: Path) -> list[Path]:
        if not removed:  # between our parent() and our folder, once
            base.rmdir()
            removed.append(base)
        return cleaned(base)

    monkeypatch.setattr(workdir, "clean_stale", another_grader_ends)
    with workdir.run_folder() as folder:
        assert folder.is_dir() and removed == [folder.parent]


def test_only_folders_nobody_holds_are_cleaned(tmp_path: Path) -> None:
    held, dead, young = (
        tmp_path / "run-held",
        tmp_path / "run-dead",
        tmp_path / "run-young",
    )
    for folder in (held, dead, young):
        folder.mkdir()
    (dead / workdir.LOCK).touch()
    old = time.time() - 3600
    os.utime(dead, (old, old))
    handle = os.open(held / workdir.LOCK, os.O_WRONLY | os.O_CREAT)
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        assert workdir.clean_stale(tmp_path) == [dead]
    finally:
        os.close(handle)
    assert held.exists() and young.exists()


def _zygotes(pid: int) -> list[int]:
    """The processes under `pid` that run (or were forked by) the zygote."""
    found = []
    for child in descendants(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        found += [child] if b"workshop.grading.zygote" in cmdline else []
    return found


def test_a_killed_grader_leaves_no_process_and_the_next_run_cleans_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = make_sandbox(ROOT, tmp_path / "instructor")
    hangs = save(
        attendee_notebook(1, answers={"01.2": HANGS}), tmp_path / "hangs.ipynb"
    )
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    grader = subprocess.Popen(
        [sys.executable, "-m", "workshop", "grade", str(hangs), "--timeout", "60"],
        cwd=checkout,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        # the zygote, a job's keeper and the job: forks share the command line
        assert wait_for(lambda: len(_zygotes(grader.pid)) >= 3, 60)
        time.sleep(0.5)  # the job is running its checks by now
        family = descendants(grader.pid)
        assert family, "the grader started its sandbox"
    finally:
        grader.send_signal(signal.SIGKILL)
        grader.wait()
    assert wait_for(lambda: not any(_alive(pid) for pid in family), 10), [
        Path(f"/proc/{p}/cmdline").read_bytes() for p in family if _alive(p)
    ]
    left = list(scratch.glob("workshop-grade-*/run-*"))
    assert len(left) == 1
    files = [p for p in left[0].rglob("*") if p.is_file()]
    assert all("solutions" not in p.parts and p.suffix != ".ipynb" for p in files), (
        files
    )
    assert not any(b"BEGIN SOLUTION" in p.read_bytes() for p in files)
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(checkout)
    main(["grade", str(save(attendee_notebook(1), tmp_path / "next.ipynb"))])
    assert not left[0].exists()
