"""`workshop grade`: every submission's exercises, each lesson in its own sandbox.

For each (attendee, lesson): pick the notebook with the attendee's work in it,
read that work (workshop.grading.work), compose the files to grade
(workshop.grading.compose: the lesson's files with the attendee's exercise
code, or whole files), then run the lesson's checks on them in a job forked by
the zygote (workshop.grading.runner), under bubblewrap where it works. Every
failure while reading or grading one submission becomes its status; the batch
always ends with a row per submission.
"""

from __future__ import annotations

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from workshop import timeouts
from workshop.authoring import fold
from workshop.authoring.fold import Lesson, ManagedFiles
from workshop.checking import all_exercises, lesson_of
from workshop.grading import isolation, suspicious, workdir
from workshop.grading.compose import Composed, Composer
from workshop.grading.isolation import Isolation
from workshop.grading.protocol import Job, Status, job_key
from workshop.grading.reading import file_cells
from workshop.grading.rows import LessonGrade, Outcome, Row, State
from workshop.grading.runner import Runner, Verdict
from workshop.grading.submissions import Found, Submission, collect
from workshop.grading.verdicts import judge
from workshop.grading.work import Work, read_work


@dataclass(frozen=True)
class Options:
    jobs: int = 2
    timeout: float = timeouts.GRADING_PER_NOTEBOOK
    whole_files: bool = False  # grade the attendee's files, not only the regions
    isolation: str = "auto"  # see workshop.grading.isolation.MODES


@dataclass
class Graded:
    columns: list[str]
    rows: list[Row]
    isolation: Isolation


@dataclass
class Plan:
    """One (attendee, lesson): what will be graded, and how it went."""

    grade: LessonGrade
    composed: Composed
    job: Job | None
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    verdict: Verdict | None = None
    failure: str = ""


def _weight(found: Found, work: Work) -> tuple[int, int, bool]:
    """Which copy of a lesson holds the attendee's work: most exercises started,
    then most lines written, then the one named like the lesson."""
    lines = sum(len(work.answers[e].lines) for e in work.started)
    return len(work.started), lines, found.path.stem == found.lesson.name


class Grader:
    def __init__(
        self, lessons: dict[int, Lesson], runner: Runner, options: Options
    ) -> None:
        self.lessons, self.runner, self.options = lessons, runner, options
        self._composers: dict[int, Composer] = {}
        self._lock = threading.Lock()

    def composer(self, lesson: Lesson) -> Composer:
        with self._lock:
            if lesson.number not in self._composers:
                start = ManagedFiles()
                for earlier in self.lessons.values():
                    for cell in (
                        earlier.file_cells if earlier.number < lesson.number else ()
                    ):
                        start.apply(earlier, cell)
                composer = Composer(lesson, start)
                self.runner.template(lesson.number, composer.template)
                self._composers[lesson.number] = composer
            return self._composers[lesson.number]

    def plan(self, index: int, candidates: list[Found]) -> Plan:
        works = [
            (found, read_work(found.lesson, file_cells(found.cells)))
            for found in candidates
        ]
        found, work = max(works, key=lambda pair: _weight(*pair))
        lesson, composer = found.lesson, self.composer(found.lesson)
        cells = file_cells(found.cells)
        composed = (
            composer.whole(cells)
            if self.options.whole_files
            else composer.regions(work)
        )
        plan = Plan(LessonGrade(found, work, len(candidates)), composed, None)
        self._annotate(plan)
        if self.options.whole_files:
            run = [e for e in lesson.exercises if e in work.answers]
        else:
            run = [e for e in work.started if e not in composed.broken]
        if run:
            key = job_key(index, lesson.number)
            plan.job = Job(
                key,
                lesson.number,
                tuple(e for e in lesson.exercises if e in run),
                composed.files,
                composed.deleted,
                self.runner.box(key),
                self.options.timeout,
                secrets.token_hex(16),
            )
        return plan

    def _annotate(self, plan: Plan) -> None:
        found, work, lesson = plan.grade.found, plan.grade.work, plan.grade.found.lesson
        if plan.grade.copies > 1:
            plan.notes.append(
                f"{lesson.name[:2]} from {found.path.name} ({plan.grade.copies} copies)"
            )
        if found.how:
            plan.notes.append(found.how)
        for path in work.copies:
            plan.notes.append(f"{path}: the last of its copied cells was graded")
        if work.changed:
            plan.flags.append(
                f"code changed outside the exercises: {', '.join(work.changed)}"
            )
        added = sorted(set(work.added) | set(plan.composed.skipped))
        if added:
            plan.flags.append(
                f"file cells the lesson does not have: {', '.join(map(repr, added))[:300]}"
            )
        for exercise in work.started:
            reaches = suspicious.touches("\n".join(work.answers[exercise].lines))
            if reaches:
                plan.flags.append(f"{exercise} reaches for {', '.join(reaches)}")

    def run(self, plan: Plan) -> Plan:
        if plan.job is not None:
            try:
                plan.verdict = self.runner.run(plan.job)
            except Exception as error:  # the grader's own trouble: this row only
                plan.failure = Status.FAILED.text(f"{type(error).__name__}: {error}")
        return plan


def _row(
    submission: Submission, plans: list[Plan], columns: list[str], options: Options
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
    )
    several = len(plans) > 1
    for plan in plans:
        lesson = plan.grade.found.lesson
        row.lessons[lesson.number] = plan.grade
        judged = judge(
            lesson.exercises,
            plan.grade.work,
            plan.composed,
            plan.verdict,
            timeout=options.timeout,
            regions_only=not options.whole_files,
        )
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
    """The exercise columns (lessons that appear in any submission) and a row each."""
    options = options or Options()
    found = isolation.detect(root, options.isolation)
    lessons = {lesson.number: lesson for lesson in fold.lessons(root)}
    all_exercises()
    with workdir.run_folder() as scratch:
        submissions = collect(paths, scratch / "unpacked", lessons)
        runner = Runner(root, scratch, found)
        try:
            grader = Grader(lessons, runner, options)
            plans: list[list[Plan]] = []
            for index, submission in enumerate(submissions):
                plans.append([])
                for number, candidates in submission.candidates.items():
                    if not lessons[number].exercises:
                        continue
                    try:
                        plans[-1].append(grader.plan(index, candidates))
                    except Exception as error:  # a bad input is a row, never the end
                        submission.problems.append(
                            Status.FAILED.text(f"{type(error).__name__}: {error}")
                        )
            with ThreadPoolExecutor(max(1, options.jobs)) as pool:
                list(pool.map(grader.run, [p for each in plans for p in each]))
        finally:
            runner.close()
    handed = {n for s in submissions for n in s.candidates}
    columns = [e for e in all_exercises() if lesson_of(e) in handed]
    rows = [
        _row(s, p, columns, options) for s, p in zip(submissions, plans, strict=True)
    ]
    return Graded(columns, rows, found)
