"""Grades kept between runs: a lookup runs no check, a change is graded again.

Job launches are counted (the grader's `Runner.run`, and the sandbox's start),
never timed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import workshop
from workshop.authoring.sandbox import make_sandbox
from workshop.cli import main
from workshop.grading import cache, runner
from workshop.grading.rows import Outcome, State
from workshop.grading.verdicts import Judged
from workshop.tests.conftest import ROOT
from workshop.tests.grading.corpus import attendee_notebook, save, table_of

WRONG_VERSION = '    return {"status": "ok", "version": "1.0.0"}'


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sandbox(ROOT, tmp_path_factory.mktemp("instructor") / "workshop")


class Launches:
    """How many jobs were sent to the sandbox, and how many sandboxes started."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.jobs = self.sandboxes = 0
        run, start = runner.Runner.run, runner.Runner.__init__

        def counted_run(this: runner.Runner, job: Any) -> runner.Verdict:
            self.jobs += 1
            return run(this, job)

        def counted_start(this: runner.Runner, *args: Any) -> None:
            self.sandboxes += 1
            start(this, *args)

        monkeypatch.setattr(runner.Runner, "run", counted_run)
        monkeypatch.setattr(runner.Runner, "__init__", counted_start)

    def reset(self) -> None:
        self.jobs = self.sandboxes = 0


@pytest.fixture
def launches(monkeypatch: pytest.MonkeyPatch) -> Launches:
    return Launches(monkeypatch)


@pytest.fixture
def grade(
    checkout: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., str]:
    def grade(*args: str | Path) -> str:
        monkeypatch.chdir(checkout)
        main(["grade", *map(str, args)])
        return capsys.readouterr().out

    return grade


def test_a_second_lookup_runs_no_check_and_says_the_same(
    tmp_path: Path, launches: Launches, grade: Callable[..., str]
) -> None:
    ed = save(
        attendee_notebook(1, answers={"01.1": WRONG_VERSION}), tmp_path / "ed.ipynb"
    )
    fay = save(attendee_notebook(1, {"01.2"}), tmp_path / "fay.ipynb")
    first = grade(ed, fay)
    assert launches.jobs == 2 and launches.sandboxes == 1, first
    launches.reset()
    again = grade(ed, fay, "--diff", "--attendee", "ed")
    assert launches.jobs == 0 and launches.sandboxes == 0, again
    assert table_of(again) == table_of(first)
    assert "✗ the version is the one in the settings given to create_app" in again
    launches.reset()
    grade(ed, fay, "--fresh")
    assert launches.jobs == 2  # --fresh grades again


def test_a_changed_submission_is_graded_again_and_a_duplicate_once(
    tmp_path: Path, launches: Launches, grade: Callable[..., str]
) -> None:
    ed = save(
        attendee_notebook(1, answers={"01.1": WRONG_VERSION}), tmp_path / "ed.ipynb"
    )
    twin = shutil.copy(ed, tmp_path / "twin.ipynb")
    first = grade(ed, twin)
    assert launches.jobs == 1, first  # the same answers: checked once, two rows
    assert [line.split()[1] for line in table_of(first).splitlines()[1:3]] == [
        "✗",
        "✗",
    ], first
    launches.reset()
    save(attendee_notebook(1, {"01.1"}), ed)  # ed fixed the answer
    again = grade(ed, twin)
    assert launches.jobs == 1, again  # ed's, not the twin's
    rows = {line.split()[0]: line.split()[1] for line in table_of(again).splitlines()}
    assert rows["ed"] == "✓" and rows["twin"] == "✗", again


def package_copy(tmp_path: Path) -> Path:
    """The workshop package's code, copied where a test may change it."""
    return Path(
        shutil.copytree(
            Path(workshop.__file__).parent,
            tmp_path / "workshop",
            ignore=shutil.ignore_patterns("tests", "__pycache__"),
        )
    )


def test_changed_checks_solutions_course_or_options_change_the_state(
    tmp_path: Path, checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = {"kernel": True, "course": None, "timeout": 30.0, "whole_files": False}
    before = cache.state(checkout, settings)
    assert cache.state(checkout, settings) == before  # nothing changed: a hit
    for change in ({"course": [1, 2]}, {"timeout": 60.0}, {"kernel": False}):
        assert cache.state(checkout, {**settings, **change}) != before, change
    copy = package_copy(tmp_path)
    monkeypatch.setattr(workshop, "__file__", str(copy / "__init__.py"))
    assert cache.state(checkout, settings) == before  # the same code elsewhere
    for changed in ("exercises/lesson01.py", "checking.py", "grading/grade.py"):
        original = (copy / changed).read_text(encoding="utf-8")
        (copy / changed).write_text(original + "\n# changed\n", encoding="utf-8")
        assert cache.state(checkout, settings) != before, changed
        (copy / changed).write_text(original, encoding="utf-8")
    monkeypatch.undo()
    solution = next((checkout / "solutions").glob("01-*.ipynb"))
    original = solution.read_text(encoding="utf-8")
    try:
        solution.write_text(original + "\n", encoding="utf-8")
        assert cache.state(checkout, settings) != before
    finally:
        solution.write_text(original, encoding="utf-8")


def test_a_changed_check_is_graded_again(
    tmp_path: Path,
    launches: Launches,
    grade: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ed = save(
        attendee_notebook(1, answers={"01.1": WRONG_VERSION}), tmp_path / "ed.ipynb"
    )
    grade(ed)
    copy = package_copy(tmp_path)
    check = copy / "exercises" / "lesson01.py"
    check.write_text(
        check.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8"
    )
    monkeypatch.setattr(workshop, "__file__", str(copy / "__init__.py"))
    launches.reset()
    grade(ed)
    assert launches.jobs == 1


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


FORGED: list[Callable[[dict[str, Any]], object]] = [
    lambda data: "not json {",
    lambda data: json.dumps([data]),
    lambda data: json.dumps({**data, "key": "0" * 64}),  # another key's entry
    lambda data: json.dumps({**data, "outcomes": {"01.1": {"state": "pass"}}}),
    lambda data: json.dumps(
        {**data, "outcomes": {"01.1": {**data["outcomes"]["01.1"], "state": "top"}}}
    ),
    lambda data: json.dumps(
        {**data, "outcomes": {"01.1": {**data["outcomes"]["01.1"], "steps": ["4", 4]}}}
    ),
    lambda data: json.dumps({**data, "problems": [1]}),
    lambda data: json.dumps({**data, "flags": "none"}),
]


def test_a_damaged_entry_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cache.ELSEWHERE)  # in the checkout's .workshop/grades/
    kept = cache.Cache(tmp_path)
    key = cache.key("state", 1, {"answers": {"01.1": [["x = 1"], True]}})
    judged = Judged(
        {"01.1": Outcome(State.FAILED, "wrong", (3, 4), ("✓ a", "✗ b (got 1)"))},
        ["a problem"],
        ["a flag"],
    )
    kept.put(key, judged)
    assert kept.get(key) == judged
    assert cache.Cache(tmp_path, read=False).get(key) is None
    (entry,) = _entries(tmp_path / cache.FOLDER)
    data = json.loads(entry.read_text(encoding="utf-8"))
    for damage in FORGED:
        entry.write_text(str(damage(data)), encoding="utf-8")
        assert kept.get(key) is None, damage(data)
    entry.unlink()
    entry.symlink_to(tmp_path / "elsewhere.json")
    (tmp_path / "elsewhere.json").write_text(json.dumps(data), encoding="utf-8")
    assert kept.get(key) is None  # a link is not an entry the grader wrote


def test_a_damaged_entry_is_graded_again(
    tmp_path: Path,
    launches: Launches,
    grade: Callable[..., str],
    kept_grades: Path,
) -> None:
    ed = save(
        attendee_notebook(1, answers={"01.1": WRONG_VERSION}), tmp_path / "ed.ipynb"
    )
    first = grade(ed)
    (entry,) = _entries(kept_grades)
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["outcomes"]["01.1"]["state"] = "pass"  # a forged ✓, of the wrong shape:
    data["outcomes"]["01.1"]["steps"] = "4/4"
    entry.write_text(json.dumps(data), encoding="utf-8")
    launches.reset()
    again = grade(ed)
    assert launches.jobs == 1
    assert table_of(again) == table_of(first)
    assert (
        json.loads(entry.read_text(encoding="utf-8"))["outcomes"]["01.1"]["state"]
        == "fail"
    )  # written anew
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["outcomes"] = {"01.1": data["outcomes"]["01.1"]}  # the right shape, but
    entry.write_text(json.dumps(data), encoding="utf-8")  # not the lesson's three
    launches.reset()
    assert table_of(grade(ed)) == table_of(first)
    assert launches.jobs == 1


def test_a_job_that_ran_out_of_time_is_not_kept(
    tmp_path: Path, launches: Launches, grade: Callable[..., str]
) -> None:
    """A busy machine can make a job run out of time: that is no grade to keep."""
    hangs = save(
        attendee_notebook(1, answers={"01.2": "while True:\n    pass\n"}),
        tmp_path / "hangs.ipynb",
    )
    first = grade(hangs, "--timeout", "2")
    assert "timed out after 2 s" in first and launches.jobs == 1, first
    launches.reset()
    grade(hangs, "--timeout", "2")
    assert launches.jobs == 1
