"""`workshop grade`: every submission's exercises, each in its own sandbox.

A (submission, lesson) pair is graded in a fresh copy of the workshop as that
lesson leaves it with its exercises still stubs, then the attendee's file cells
(`%%save_file`, `%delete_file`) applied in order. One child process (workshop.grading.worker,
forked from a server with FastAPI imported) runs all of the lesson's checks
there, under a wall-clock timeout. The grader itself never runs attendee code
and never writes outside its temporary folder.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import shutil
import signal
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop import child, timeouts
from workshop.authoring import fold
from workshop.authoring.fold import Lesson
from workshop.authoring.notebooks import FileCell
from workshop.authoring.sandbox import make_sandbox
from workshop.checking import Result, all_exercises, lesson_of
from workshop.disk import write_files
from workshop.grading import submissions, worker
from workshop.grading.submissions import Found, Submission
from workshop.project import WorkshopError, is_managed

# Grading processes fork from a server that has imported FastAPI once: a notebook
# then costs a fork instead of a fresh interpreter (about 0.7 s each).
FORKS = multiprocessing.get_context("forkserver")
# (A module that is not installed is skipped.)
WARM = [
    "workshop.grading.worker",
    "fastapi.testclient",
    "pydantic_settings",
    "email_validator",
    "sqlalchemy.ext.asyncio",
]
GRADED = "graded"
OUTPUT_LIMIT = 2**20  # more than this from one notebook's checks is a runaway print


@dataclass(frozen=True)
class Outcome:
    state: str  # "pass", "fail" or "missing"
    detail: str = ""


@dataclass
class Row:
    """One attendee: an outcome per exercise, and whether grading went through."""

    name: str
    source: Path
    outcomes: dict[str, Outcome]
    status: str
    notebooks: list[Found] = field(default_factory=list)

    @property
    def graded(self) -> bool:
        return self.status == GRADED

    @property
    def passed(self) -> int:
        return sum(o.state == "pass" for o in self.outcomes.values())


def _as_written(cell: FileCell) -> str:
    try:
        return cell.text()
    except WorkshopError:  # stray region markers: write what the cell says
        return (cell.body or "").rstrip() + "\n"


def _apply(box: Path, cells: list[FileCell]) -> None:
    """The attendee's file cells, in their order, on the copy in `box`."""
    for cell in cells:
        target = box / cell.path
        if not cell.deletes:
            write_files(box, {cell.path: _as_written(cell)})
        elif target.is_file() or target.is_symlink():
            target.unlink()


def _detail(result: Result) -> str:
    if result.passed:
        return ""
    failed = [step.text for step in result.steps if not step.ok]
    return result.error or "; ".join(failed) or "no check ran"


class Grader:
    def __init__(self, root: Path, scratch: Path, timeout: float) -> None:
        self.root, self.scratch, self.timeout = root, scratch, timeout
        self.lessons = {lesson.number: lesson for lesson in fold.lessons(root)}
        self._templates: dict[int, Path] = {}
        self._lock = threading.Lock()

    def template(self, lesson: Lesson) -> Path:
        """The workshop as `lesson` leaves it, with its exercises still stubs."""
        with self._lock:
            if lesson.number not in self._templates:
                files = fold.managed_files(
                    self.root, through=lesson.number, stubbed=lesson.exercises
                )
                self._templates[lesson.number] = make_sandbox(
                    self.root,
                    self.scratch / f"lesson-{lesson.number:02d}",
                    files=files.texts(),
                )
            return self._templates[lesson.number]

    def grade(self, key: str, found: Found) -> tuple[dict[str, Outcome], str]:
        """Outcomes for one lesson's exercises, and a status."""
        lesson, cells = found.lesson, found.file_cells()
        written = {cell.slot for cell in cells if not cell.deletes}
        present = [e for e in lesson.exercises if lesson.homes[e] in written]
        missing = {
            e: Outcome("missing", "its cell is not in the notebook")
            for e in lesson.exercises
        }
        if not present:
            return missing, "no exercises found"
        if any(not is_managed(cell.path) for cell in cells):
            return missing, "writes outside the workshop"
        box = self.scratch / f"box-{key}"
        shutil.copytree(self.template(lesson), box, symlinks=True)
        _apply(box, cells)
        records, status = self.run_worker(box, key, present)
        outcomes = {e: missing[e] for e in lesson.exercises}
        for e in present:
            outcomes[e] = Outcome("fail", status if status != GRADED else "no result")
        for record in records:
            if "result" in record:
                result = Result.from_json(
                    {"title": "", "hint": "", "steps": [], **record["result"]}
                )
                if result.exercise in present:
                    outcomes[result.exercise] = Outcome(
                        "pass" if result.passed else "fail", _detail(result)
                    )
        return outcomes, status

    def run_worker(
        self, box: Path, key: str, ids: list[str]
    ) -> tuple[list[dict[str, Any]], str]:
        """Check `ids` in `box` in a worker process; its records, and a status."""
        for private in ("home", "tmp"):
            (box / ".grading" / private).mkdir(parents=True)
        env = child.environment(
            no_bytecode=True,
            HOME=str(box / ".grading" / "home"),
            TMPDIR=str(box / ".grading" / "tmp"),
        )
        records_path = self.scratch / f"records-{key}.jsonl"
        log = self.scratch / f"output-{key}.log"
        process = FORKS.Process(
            target=worker.grade_in_sandbox,
            args=(str(box), str(records_path), str(log), env, ids, self.timeout),
            daemon=True,
        )
        process.start()
        process.join(self.timeout)
        timed_out = process.is_alive()
        if timed_out:
            process.kill()
            process.join()
        timed_out = timed_out or process.exitcode == -signal.SIGXCPU
        process.close()
        lines = (
            records_path.read_text(encoding="utf-8").splitlines()
            if records_path.exists()
            else []
        )
        records = []
        for line in lines:
            with contextlib.suppress(ValueError, TypeError):
                records.append(dict(json.loads(line)))
        return records, self._status(records, log, timed_out, len(ids))

    def _status(
        self, records: list[dict[str, Any]], log: Path, timed_out: bool, expected: int
    ) -> str:
        if any("violation" in r for r in records):
            return "tried to write outside its sandbox"
        if timed_out:
            return f"timed out after {self.timeout:g} s"
        size = log.stat().st_size if log.exists() else 0
        if size > OUTPUT_LIMIT:
            return "too much output"
        errors = [r["import_error"] for r in records if "import_error" in r]
        if errors:
            return f"raised on import: {errors[0]}"
        if sum("result" in r for r in records) < expected:
            return "the checks could not run: " + child.last_line(log)
        return GRADED


def grade(
    root: Path,
    paths: list[Path],
    *,
    jobs: int = 2,
    timeout: float = timeouts.GRADING_PER_NOTEBOOK,
) -> tuple[list[str], list[Row]]:
    """The exercise columns (lessons that appear in any submission) and one row each.

    The grading processes come from multiprocessing's forkserver, which re-imports
    the main script in each: call this under `if __name__ == "__main__":`.
    """
    FORKS.set_forkserver_preload(WARM)  # applies when the server starts, once
    with tempfile.TemporaryDirectory(prefix="workshop-grade-") as tmp:
        grader = Grader(root, Path(tmp), timeout)
        found = submissions.collect(paths, Path(tmp) / "unpacked", grader.lessons)
        work = [
            (f"{i:03d}-{nb.lesson.number:02d}", nb)
            for i, s in enumerate(found)
            for nb in s.notebooks
            if nb.lesson.exercises
        ]
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            done = dict(
                zip(
                    [key for key, _ in work],
                    pool.map(lambda job: grader.grade(*job), work),
                    strict=True,
                )
            )
        lessons = {nb.lesson.number for s in found for nb in s.notebooks}
        columns = [e for e in all_exercises() if lesson_of(e) in lessons]
        rows = [_row(i, s, done, columns) for i, s in enumerate(found)]
    return columns, rows


def _row(
    index: int,
    submission: Submission,
    done: dict[str, tuple[dict[str, Outcome], str]],
    columns: list[str],
) -> Row:
    outcomes = {
        e: Outcome("missing", submission.problem or "no notebook for its lesson")
        for e in columns
    }
    statuses = []
    for nb in submission.notebooks:
        key = f"{index:03d}-{nb.lesson.number:02d}"
        if key in done:
            outcomes.update(done[key][0])
            statuses.append(done[key][1])
    problems = [s for s in dict.fromkeys(statuses) if s != GRADED]
    if not statuses:
        problems = ["no exercises found"]
    status = submission.problem or "; ".join(problems) or GRADED
    return Row(
        submission.name, submission.source, outcomes, status, submission.notebooks
    )
