"""One (attendee, lesson), planned: which notebook, what work, which files, which job.

Of a lesson's notebooks in a submission, the one with the attendee's work is
chosen; its work is read (workshop.grading.work) and flagged where it needs a
look (an answer that is the solution line for line, without the mark
`workshop solve` leaves, is flagged: deleting the mark turned `s` into `✓`);
the files to grade are composed (workshop.grading.compose); the job
checks only what was started (or, for whole files, every exercise whose cell
is there). `Grader.run` sends the job to the zygote.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field

from workshop import timeouts
from workshop.authoring.fold import Lesson, ManagedFiles
from workshop.grading import suspicious
from workshop.grading.alignment import solution as solution_of
from workshop.grading.compose import Composed, Composer
from workshop.grading.judge import JUDGED_OUTSIDE
from workshop.grading.protocol import Job, Status, job_key
from workshop.grading.reading import file_cells
from workshop.grading.rows import LessonGrade
from workshop.grading.runner import Runner, Verdict
from workshop.grading.submissions import Found
from workshop.grading.verdicts import Judged
from workshop.grading.work import Work, read_work


@dataclass(frozen=True)
class Options:
    jobs: int = 2
    timeout: float = timeouts.GRADING_PER_NOTEBOOK
    whole_files: bool = False  # grade the attendee's files, not only the regions
    isolation: str = "auto"  # see workshop.grading.isolation.MODES
    course: frozenset[int] | None = None  # the lessons graded; None: every one
    fresh: bool = False  # grade again, ignoring the grades kept (and keep anew)


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
    key: str = ""  # its grade's key in workshop.grading.cache, when it has a job
    kept: Judged | None = None  # its grade, found there


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
                judged=lesson.number in JUDGED_OUTSIDE,
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
            if work.answers[exercise].lines == solution_of(lesson, exercise):
                plan.flags.append(
                    f"{exercise} is the solution line for line, without the mark "
                    "`workshop solve` leaves"
                )

    def run(self, plan: Plan) -> Plan:
        if plan.job is not None:
            try:
                plan.verdict = self.runner.run(plan.job)
            except Exception as error:  # the grader's own trouble: this row only
                plan.failure = Status.FAILED.text(f"{type(error).__name__}: {error}")
        return plan
