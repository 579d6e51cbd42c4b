"""Checking mutants: each in a job forked from the grading zygote, in parallel.

Every lesson's solution state (the files as the lesson leaves them, each
exercise solved) is sent to the zygote once, as a template; a mutant is then a
job that writes only the files its region changes over that template and runs
its exercise's check. One more job per exercise checks the solution itself,
unchanged: a check that fails there would "kill" every mutant, so its mutants
count for nothing until it passes. Under bubblewrap where it works, as grading.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from workshop import timeouts
from workshop.authoring.fold import Lesson, ManagedFiles
from workshop.checking import Result
from workshop.grading import isolation, workdir
from workshop.grading.judge import JUDGED_OUTSIDE
from workshop.grading.protocol import Job, Kind, job_key
from workshop.grading.runner import Runner, Verdict


@dataclass(frozen=True)
class Outcome:
    passed: bool  # the check passed (on a mutant: it went unnoticed)
    how: str  # what caught it ("✗ <the first step that failed>"), or "passed"
    decided: bool = True  # False: the check gave no verdict (timed out, crashed)


@dataclass(frozen=True)
class Trial:
    """One job to run: an exercise's check on files that differ from the template."""

    lesson: int
    exercise: str
    files: dict[str, str]


def lesson_files(
    lessons: list[Lesson], number: int, answers: dict[str, str] | None = None
) -> dict[str, str]:
    """The files as lesson `number` leaves them, every exercise solved, and
    `answers` ({exercise: code}) in place of their regions."""
    files = ManagedFiles()
    for lesson in lessons:
        for cell in lesson.file_cells if lesson.number <= number else ():
            files.apply(lesson, cell, (), answers)
    return files.texts()


def outcome(verdict: Verdict, exercise: str) -> Outcome:
    """What the job's records say about the check."""
    for record in verdict.records:
        data = record.data.get("result")
        if record.kind is Kind.RESULT and isinstance(data, dict):
            try:
                result = Result.from_json(
                    {"title": "", "hint": "", "steps": [], **data}
                )
            except (TypeError, ValueError) as error:
                return Outcome(False, f"an unreadable result ({error})")
            if result.passed:
                return Outcome(True, "passed")
            failed = [step.text for step in result.steps if not step.ok]
            return Outcome(False, f"✗ {failed[0] if failed else result.error}")
    if verdict.ending.timed_out:  # never a kill: it could be a slow machine
        return Outcome(False, "timed out", decided=False)
    return Outcome(False, f"no result ({verdict.last_line})", decided=False)


def run(
    root: Path,
    templates: dict[int, dict[str, str]],
    trials: Iterable[Trial],
    *,
    jobs: int = 2,
    mode: str = "auto",
    timeout: float | None = None,
    done: Callable[[Trial, Outcome], None] | None = None,
) -> list[Outcome]:
    """Each trial's outcome, in order; `done` hears of each as it ends."""
    trials = list(trials)
    if timeout is None:  # a timed-out mutant is undecided: give a busy machine room
        timeout = timeouts.scaled(timeouts.GRADING_PER_NOTEBOOK)
    found = isolation.detect(root, mode)
    with workdir.run_folder() as scratch:
        runner = Runner(root, scratch, found)
        try:
            for number in sorted({trial.lesson for trial in trials}):
                runner.template(number, templates[number])

            def check(numbered: tuple[int, Trial]) -> Outcome:
                index, trial = numbered
                key = job_key(index, trial.lesson)
                job = Job(
                    key,
                    trial.lesson,
                    (trial.exercise,),
                    trial.files,
                    (),
                    runner.box(key),
                    timeout,
                    secrets.token_hex(16),
                    judged=trial.lesson in JUDGED_OUTSIDE,  # as grading judges it
                )
                result = outcome(runner.run(job), trial.exercise)
                if done is not None:
                    done(trial, result)
                return result

            with ThreadPoolExecutor(max(1, jobs)) as pool:
                return list(pool.map(check, enumerate(trials)))
        finally:
            runner.close()
