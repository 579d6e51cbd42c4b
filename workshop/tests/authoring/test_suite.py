"""`make test`'s runner: stages in order, their times, the slowest tests, and
what a run leaves behind."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from workshop.authoring import leftovers, suite

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder and a home of the test's own, and a checkout in it."""
    (tmp_path / "tmp").mkdir()
    (tmp_path / "home" / ".cache").mkdir(parents=True)
    (tmp_path / "checkout").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


def started(command: list[str], **options: object) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, **options)  # type: ignore[call-overload]
    time.sleep(0.2)  # it has started: /proc knows its environment and folder
    return process


def test_a_process_of_the_run_is_named_until_it_ends(world: Path) -> None:
    snapshot = leftovers.take(world / "checkout", "run-1")
    process = started(SLEEPER, env={**os.environ, leftovers.MARK: "run-1"})
    try:
        assert any(
            line.startswith(f"{process.pid}:") for line in leftovers.survivors(snapshot)
        )
    finally:
        process.kill()
        process.wait()
    assert leftovers.problems(snapshot, grace=0) == []


def test_a_child_with_a_clean_environment_is_known_by_its_folder(world: Path) -> None:
    checkout = world / "checkout"
    earlier = started(SLEEPER, cwd=checkout, env={})  # someone else's, from before
    snapshot = leftovers.take(checkout, "run-2")
    later = started(SLEEPER, cwd=checkout, env={})
    try:
        pids = {line.split(":")[0] for line in leftovers.survivors(snapshot)}
        assert str(later.pid) in pids
        assert str(earlier.pid) not in pids
    finally:
        for process in (earlier, later):
            process.kill()
            process.wait()


def test_the_snapshot_is_taken_in_whole_ticks(
    world: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """81808.51 s times 100 is 8180850.999999999 in floating point: a process
    started in tick 8180851 would seem to have started before the snapshot."""
    (world / "proc").mkdir()
    (world / "proc" / "uptime").write_text("81808.51 29466.61\n")
    monkeypatch.setattr(leftovers, "PROC", world / "proc")
    assert leftovers.take(world / "checkout", "run-5").started == 8180851


def test_other_runs_processes_are_not_ours(world: Path) -> None:
    snapshot = leftovers.take(world / "checkout", "run-3")
    process = started(SLEEPER, env={**os.environ, leftovers.MARK: "another-run"})
    try:
        assert not any(
            line.startswith(f"{process.pid}:") for line in leftovers.survivors(snapshot)
        )
    finally:
        process.kill()
        process.wait()


def test_new_files_in_tmp_and_home_are_named(world: Path) -> None:
    (world / "tmp" / "old.db").write_text("")
    snapshot = leftovers.take(world / "checkout", "run-4")
    (world / "tmp" / "workshop-x.db").write_text("")
    (world / "home" / ".gunicorn").mkdir()
    (world / "home" / ".gunicorn" / "gunicorn.ctl").write_text("")
    (world / "home" / ".cache" / "tool").mkdir()

    found = leftovers.problems(snapshot, grace=0)

    assert found == [
        f"new in {world / 'tmp'}: workshop-x.db",
        f"new in {world / 'home'}: .cache/tool",
        f"new in {world / 'home'}: .gunicorn",
    ]


def test_the_slowest_tests_come_from_the_junit_report(tmp_path: Path) -> None:
    report = tmp_path / "times.xml"
    cases = "".join(
        f'<testcase classname="t" name="case{n}" time="{n}.5"/>' for n in range(12)
    )
    report.write_text(f"<testsuites><testsuite>{cases}</testsuite></testsuites>")

    slow = suite.slowest(report, count=3)

    assert slow == [(11.5, "t::case11"), (10.5, "t::case10"), (9.5, "t::case9")]
    assert suite.slowest(tmp_path / "missing.xml") == []


def run_suite(
    world: Path, monkeypatch: pytest.MonkeyPatch, *commands: tuple[str, str]
) -> int:
    stages = [
        suite.Stage(name, (sys.executable, "-c", code)) for name, code in commands
    ]
    monkeypatch.setattr(suite, "stages", lambda bin_dir, scratch: stages)
    monkeypatch.setattr(leftovers, "problems", _quick(leftovers.problems))
    return suite.main(world / "checkout")


def _quick(problems):  # type: ignore[no-untyped-def]
    return lambda snapshot: problems(snapshot, grace=0)


def test_the_first_failing_stage_stops_the_run_and_every_time_is_printed(
    world: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    status = run_suite(
        world,
        monkeypatch,
        ("lint", "pass"),
        ("pytest", "raise SystemExit(3)"),
        ("nbval", "open('ran', 'w')"),
    )

    out = capfd.readouterr().out
    assert status == 3
    assert "lint " in out and "pytest " in out and "(failed, exit 3)" in out
    assert "nbval" not in out.split("Where the time went:")[1]
    assert not (world / "checkout" / "ran").exists()


def test_a_run_that_leaves_a_file_behind_fails(
    world: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    leak = world / "tmp" / "leaked.db"
    status = run_suite(world, monkeypatch, ("pytest", f"open({str(leak)!r}, 'w')"))

    out = capfd.readouterr().out
    assert status == 1
    assert "leaked.db" in out


def test_a_clean_run_says_so(
    world: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    assert run_suite(world, monkeypatch, ("lint", "pass")) == 0
    assert "Nothing was left behind" in capfd.readouterr().out


def test_the_tools_state_goes_to_the_run_and_the_installers_caches_stay(
    world: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("UV_CACHE_DIR", raising=False)
    state = suite.tool_state(world / "run")
    assert state["IPYTHONDIR"] == str(world / "run" / "ipythondir")
    assert state["XDG_CONFIG_HOME"].startswith(str(world / "run"))
    assert state["UV_CACHE_DIR"] == str(world / "home" / ".cache" / "uv")
    code = "import IPython.paths; print(IPython.paths.get_ipython_dir())"
    shown = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **state},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == state["IPYTHONDIR"]


def test_a_pytest_that_a_test_starts_keeps_its_folders_in_the_run(world: Path) -> None:
    """A lesson's tests or a notebook's `run_tests` start pytest, which makes
    pytest-of-USER in the temporary folder: that goes to the run too."""
    state = suite.tool_state(world / "run")
    (world / "checkout" / "test_one.py").write_text(
        "def test_one(tmp_path):\n    assert tmp_path.is_dir()\n"
    )
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=world / "checkout",
        env={**os.environ, **state, "TMPDIR": str(world / "tmp")},
        capture_output=True,
        check=True,
    )
    assert list(world.glob("tmp/pytest-of-*")) == []
    assert list(Path(state["PYTEST_DEBUG_TEMPROOT"]).glob("pytest-of-*"))
