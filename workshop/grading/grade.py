"""`workshop grade`: every submission's exercises, each lesson in its own sandbox.

For each (attendee, lesson): pick the notebook with the attendee's work in it,
read that work (workshop.grading.work), compose the files to grade
(workshop.grading.compose: the lesson's files with the attendee's exercise
code, or whole files), then run the lesson's checks on them in a job forked by
the zygote (workshop.grading.runner), under bubblewrap where it works. Every
failure while reading or grading one submission becomes its status; the batch
always ends with a row per submission.

A lesson's grade is kept (workshop.grading.cache) by what was read of it and
what it was checked with, so grading a class again, for a `--diff` or an
`--attendee`, runs only what changed; a lesson handed in twice the same is
checked once. When every grade is kept, no sandbox is even started.
"""

from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workshop.authoring import fold
from workshop.checking import all_exercises, lesson_of
from workshop.grading import cache, isolation, workdir
from workshop.grading.cache import Cache
from workshop.grading.isolation import Isolation
from workshop.grading.plans import Grader, Options, Plan
from workshop.grading.protocol import Job, Kind, Status
from workshop.grading.reading import Unreadable
from workshop.grading.rows import Outcome, Row, State
from workshop.grading.runner import Runner, Verdict
from workshop.grading.submissions import Submission, collect
from workshop.grading.verdicts import judge

__all__ = ["Graded", "Options", "grade"]


@dataclass
class Graded:
    columns: list[str]
    rows: list[Row]
    isolation: Isolation


def _row(
    submission: Submission,
    plans: list[Plan],
    columns: list[str],
    options: Options,
    kept: Cache,
) -> Row:
    outcomes = {
        e: Outcome(State.MISSING, "no notebook for its lesson") for e in columns
    }
    row = Row(
        submission.name,
        submission.source,
        outcomes,
        list(submission.problems),
        notes=list(submission.notes),
        clashes=submission.clashes,
    )
    several = len(plans) > 1
    for plan in plans:
        lesson = plan.grade.found.lesson
        row.lessons[lesson.number] = plan.grade
        judged = plan.kept or judge(
            lesson.exercises,
            plan.grade.work,
            plan.composed,
            plan.verdict,
            timeout=options.timeout,
            regions_only=not options.whole_files,
        )
        if plan.kept is None and _decided(plan):
            kept.put(plan.key, judged)
        row.outcomes.update(judged.outcomes)
        prefix = f"{lesson.name[:2]}: " if several else ""
        problems = judged.problems + ([plan.failure] if plan.failure else [])
        if not plan.grade.work.answers:
            problems.append(Status.NO_EXERCISES.text())
        row.problems += [prefix + p for p in problems]
        row.flags += [prefix + f for f in plan.flags + judged.flags]
        row.notes += plan.notes
    if not plans and not row.problems:
        row.problems.append(Status.NO_EXERCISES.text())
    row.problems = list(dict.fromkeys(row.problems))
    return row


def grade(root: Path, paths: list[Path], options: Options | None = None) -> Graded:
    """The exercise columns (the course's lessons, else those that appear in
    any submission) and a row each."""
    options = options or Options()
    found = isolation.detect(root, options.isolation)
    lessons = {lesson.number: lesson for lesson in fold.lessons(root)}
    all_exercises()
    kept = Cache(root, read=not options.fresh)
    state = cache.state(root, _settings(found, options))
    with workdir.run_folder() as scratch:
        submissions = collect(paths, scratch / "unpacked", lessons)
        runner = _Deferred(root, scratch, found)
        try:
            grader = Grader(lessons, runner, options)
            runs: dict[str, list[Plan]] = {}  # by key: the first is run
            plans: list[list[Plan]] = []
            with ThreadPoolExecutor(max(1, options.jobs)) as pool:
                running = []
                for index, submission in enumerate(submissions):
                    plans.append(_plans(grader, index, submission, options))
                    for plan in plans[-1]:
                        if _first_to_run(plan, kept, state, runs):
                            runner.start()  # the main thread's: the zygote dies with it
                            running.append(pool.submit(grader.run, plan))
                for job in running:
                    job.result()
            for first, *others in runs.values():
                for plan in others:
                    plan.verdict, plan.failure = first.verdict, first.failure
        finally:
            runner.close()
    # A course's columns are its exercises, handed in or not: its totals are out
    # of what was taught. Without one, the lessons somebody handed in.
    taught = options.course or {n for s in submissions for n in s.candidates}
    columns = [e for e in all_exercises() if lesson_of(e) in taught]
    rows = [
        _bounded_row(s, p, columns, options, kept)
        for s, p in zip(submissions, plans, strict=True)
    ]
    return Graded(columns, rows, found)


def _plans(
    grader: Grader, index: int, submission: Submission, options: Options
) -> list[Plan]:
    """The submission's lessons, planned; what cannot be is a problem of its row."""
    plans = []
    for number, candidates in submission.candidates.items():
        if not grader.lessons[number].exercises:
            continue
        if options.course is not None and number not in options.course:
            submission.notes.append(f"{number:02d} is not in the course")
            continue
        try:
            plans.append(grader.plan(index, candidates))
        except Unreadable as error:  # too large to compare, say
            submission.problems.append(f"{number:02d}: {error}")
        except Exception as error:  # a bad input is a row, never the end
            submission.problems.append(
                Status.FAILED.text(f"{type(error).__name__}: {error}")
            )
    return plans


def _settings(found: Isolation, options: Options) -> dict[str, Any]:
    """What of the run, besides the submissions, a grade depends on."""
    return {
        "kernel": found.kernel,
        "course": sorted(options.course) if options.course is not None else None,
        "timeout": options.timeout,
        "whole_files": options.whole_files,
    }


def _first_to_run(
    plan: Plan, kept: Cache, state: str, runs: dict[str, list[Plan]]
) -> bool:
    """True when `plan`'s job is to run: it has one, its grade is not kept, and
    no plan with its key came first (that one's verdict will be its own)."""
    if plan.job is None:
        return False
    work, composed, job = plan.grade.work, plan.composed, plan.job
    lesson = plan.grade.found.lesson
    plan.key = cache.key(
        state,
        job.lesson,
        {
            "exercises": lesson.exercises,
            "answers": {e: [a.lines, a.started] for e, a in work.answers.items()},
            "run": job.exercises,
            "files": job.files,
            "deleted": job.deleted,
            "broken": composed.broken,
            "errors": composed.errors,
        },
    )
    plan.kept = kept.get(plan.key)
    if plan.kept is not None and set(plan.kept.outcomes) == set(lesson.exercises):
        return False
    plan.kept = None  # none kept, or not one per exercise of the lesson: a miss
    runs.setdefault(plan.key, []).append(plan)
    return len(runs[plan.key]) == 1


def _decided(plan: Plan) -> bool:
    """A job that ran to its end: one stopped by a time limit (which a busy
    machine can reach) or that never said it was done is graded again."""
    verdict = plan.verdict
    return (
        bool(plan.key)
        and not plan.failure
        and verdict is not None
        and not verdict.ending.timed_out
        and verdict.ending.exit_code != -signal.SIGXCPU
        and any(record.kind is Kind.DONE for record in verdict.records)
    )


class _Deferred(Runner):
    """The runner, started only once a job is to run: a lookup whose grades
    are all kept starts no sandbox. Templates wait here until then."""

    def __init__(self, root: Path, scratch: Path, found: Isolation) -> None:
        self.root, self.scratch, self.isolation = root, scratch, found
        self._templates: dict[int, dict[str, str]] = {}
        self._started: Runner | None = None

    def template(self, lesson: int, files: dict[str, str]) -> None:
        self._templates[lesson] = files
        if self._started is not None:
            self._started.template(lesson, files)

    def start(self) -> None:
        """Start the zygote, once, and send it the templates so far."""
        if self._started is None:
            self._started = Runner(self.root, self.scratch, self.isolation)
            for lesson, files in self._templates.items():
                self._started.template(lesson, files)

    def run(self, job: Job) -> Verdict:
        if self._started is None:
            raise RuntimeError("the runner was not started")
        return self._started.run(job)

    def close(self) -> None:
        if self._started is not None:
            self._started.close()


def _bounded_row(
    submission: Submission,
    plans: list[Plan],
    columns: list[str],
    options: Options,
    kept: Cache,
) -> Row:
    """The submission's row; should building it fail, a row that says so (and
    marks the batch as one where the grader itself failed), never the end."""
    try:
        return _row(submission, plans, columns, options, kept)
    except Exception as error:
        outcomes = {e: Outcome(State.VOID, "the grader failed") for e in columns}
        failure = Status.GRADER_FAILED.text(f"{type(error).__name__}: {error}")
        return Row(
            submission.name,
            submission.source,
            outcomes,
            [failure],
            broke=True,
            clashes=submission.clashes,
        )
