"""`workshop grade`: every submission's exercises, each in its own sandbox.

A (submission, lesson) pair is graded in a fresh copy of the workshop at the
start of that lesson, with the lesson's cells stubbed, then the attendee's
%%save_file cells written in order. One child process (workshop.grading.worker,
forked from a server with FastAPI imported) runs all of the lesson's checks
there, under a wall-clock timeout. The grader itself never runs attendee code
and never writes outside its temporary folder.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop.authoring.notebooks import file_text
from workshop.authoring.regions import render
from workshop.authoring.sandbox import make_sandbox, write_files
from workshop.checking import Result, all_exercises
from workshop.grading import submissions, worker
from workshop.grading.submissions import Found, Lesson, Submission
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


def _as_written(body: str) -> str:
    try:
        return file_text(body)
    except WorkshopError:  # stray region markers: write what the cell says
        return body.rstrip() + "\n"


def _detail(result: Result) -> str:
    if result.passed:
        return ""
    failed = [step.text for step in result.steps if not step.ok]
    return result.error or "; ".join(failed) or "no check ran"


class Grader:
    def __init__(self, root: Path, scratch: Path, timeout: float) -> None:
        self.root, self.scratch, self.timeout = root, scratch, timeout
        self.lessons = submissions.lessons(root)
        self._templates: dict[int, Path] = {}
        self._lock = threading.Lock()

    def template(self, lesson: Lesson) -> Path:
        """The workshop at the end of `lesson` with every exercise still a stub."""
        with self._lock:
            if lesson.number not in self._templates:
                box = make_sandbox(
                    self.root,
                    self.scratch / f"lesson-{lesson.number:02d}",
                    lesson.number,
                )
                stubs = {
                    path: file_text(render(body, stub=True))
                    for (path, _), body in lesson.bodies.items()
                }
                write_files(box, stubs)
                self._templates[lesson.number] = box
            return self._templates[lesson.number]

    def grade(self, key: str, found: Found) -> tuple[dict[str, Outcome], str]:
        """Outcomes for one lesson's exercises, and a status."""
        lesson = found.lesson
        written = found.file_cells()
        present = [e for e in lesson.exercises if lesson.homes[e] in written]
        missing = {
            e: Outcome("missing", "its cell is not in the notebook")
            for e in lesson.exercises
        }
        if not present:
            return missing, "no exercises found"
        if any(not is_managed(path) for path, _ in written):
            return missing, "writes outside the workshop"
        box = self.scratch / f"box-{key}"
        shutil.copytree(self.template(lesson), box, symlinks=True)
        write_files(
            box, {path: _as_written(body) for (path, _), body in written.items()}
        )
        records, status = self.run(box, key, present)
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

    def run(
        self, box: Path, key: str, ids: list[str]
    ) -> tuple[list[dict[str, Any]], str]:
        for private in ("home", "tmp"):
            (box / ".grading" / private).mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
        env.update(
            PYTHONDONTWRITEBYTECODE="1",
            HOME=str(box / ".grading" / "home"),
            TMPDIR=str(box / ".grading" / "tmp"),
        )
        report = self.scratch / f"report-{key}.jsonl"
        log = self.scratch / f"output-{key}.log"
        child = FORKS.Process(
            target=worker.run,
            args=(str(box), str(report), str(log), env, ids, self.timeout),
            daemon=True,
        )
        child.start()
        child.join(self.timeout)
        timed_out = child.is_alive()
        if timed_out:
            child.kill()
            child.join()
        timed_out = timed_out or child.exitcode == -signal.SIGXCPU
        child.close()
        lines = (
            report.read_text(encoding="utf-8").splitlines() if report.exists() else []
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
            tail = []
            if size:
                with log.open("rb") as output:
                    output.seek(max(0, size - 2000))
                    tail = output.read().decode(errors="replace").strip().splitlines()
            return "the checks could not run: " + (tail[-1] if tail else "no output")
        return GRADED


def grade(
    root: Path, paths: list[Path], *, jobs: int = 2, timeout: float = 30
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
        columns = [e for e in all_exercises() if int(e.split(".")[0]) in lessons]
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
