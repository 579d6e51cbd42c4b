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

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from workshop.authoring import fold
from workshop.checking import all_exercises, lesson_of
from workshop.grading import isolation, workdir
from workshop.grading.isolation import Isolation
from workshop.grading.plans import Grader, Options, Plan
from workshop.grading.protocol import Status
from workshop.grading.reading import Unreadable
from workshop.grading.rows import Outcome, Row, State
from workshop.grading.runner import Runner
from workshop.grading.submissions import Submission, collect
from workshop.grading.verdicts import judge

__all__ = ["Graded", "Options", "grade"]


@dataclass
class Graded:
    columns: list[str]
    rows: list[Row]
    isolation: Isolation


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
        clashes=submission.clashes,
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
    """The exercise columns (the course's lessons, else those that appear in
    any submission) and a row each."""
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
                    if options.course is not None and number not in options.course:
                        submission.notes.append(f"{number:02d} is not in the course")
                        continue
                    try:
                        plans[-1].append(grader.plan(index, candidates))
                    except Unreadable as error:  # too large to compare, say
                        submission.problems.append(f"{number:02d}: {error}")
                    except Exception as error:  # a bad input is a row, never the end
                        submission.problems.append(
                            Status.FAILED.text(f"{type(error).__name__}: {error}")
                        )
            with ThreadPoolExecutor(max(1, options.jobs)) as pool:
                list(pool.map(grader.run, [p for each in plans for p in each]))
        finally:
            runner.close()
    # A course's columns are its exercises, handed in or not: its totals are out
    # of what was taught. Without one, the lessons somebody handed in.
    taught = options.course or {n for s in submissions for n in s.candidates}
    columns = [e for e in all_exercises() if lesson_of(e) in taught]
    rows = [
        _bounded_row(s, p, columns, options)
        for s, p in zip(submissions, plans, strict=True)
    ]
    return Graded(columns, rows, found)


def _bounded_row(
    submission: Submission, plans: list[Plan], columns: list[str], options: Options
) -> Row:
    """The submission's row; should building it fail, a row that says so (and
    marks the batch as one where the grader itself failed), never the end."""
    try:
        return _row(submission, plans, columns, options)
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
