"""`workshop grade --diff`: each attendee's code beside the solution's.

Per attendee and exercise: the mark, what the check said, then the code that
was graded (from the copy of the notebook that was graded, and the last of a
cell's copies) beside the solution, full lines. Code changed outside the
exercises follows as a diff against the lesson. Filters narrow it to the
failed exercises, some attendees or some exercises.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from workshop.checking import lesson_of
from workshop.grading.alignment import solution as solution_of
from workshop.grading.rows import LessonGrade, Row, State
from workshop.grading.table import escape, mark

MARKERS = {"equal": " ", "replace": "|", "delete": "<", "insert": ">"}


@dataclass(frozen=True)
class Filters:
    failed: bool = False  # only what did not pass (and was tried)
    attendees: tuple[str, ...] = ()
    exercises: tuple[str, ...] = ()  # "01.2", or a whole lesson: "01"

    def wants(self, row: Row, exercise: str) -> bool:
        if self.attendees and row.name not in self.attendees:
            return False
        lesson = f"{lesson_of(exercise) or 0:02d}"
        if self.exercises and not {exercise, lesson} & set(self.exercises):
            return False
        state = row.outcomes[exercise].state
        return not self.failed or state in {State.FAILED, State.VOID}


def side_by_side(left: list[str], right: list[str]) -> list[str]:
    left, right = [escape(x) for x in left], [escape(x) for x in right]
    width = max([len("attendee"), *map(len, left)])
    rows = [f"{'attendee':<{width}}   solution"]
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            a = left[i1 + k] if i1 + k < i2 else ""
            b = right[j1 + k] if j1 + k < j2 else ""
            rows.append(f"{a:<{width}} {MARKERS[tag]} {b}".rstrip())
    return rows


def exercise_diff(row: Row, grade: LessonGrade, exercise: str) -> list[str]:
    lesson, outcome = grade.found.lesson, row.outcomes[exercise]
    home = lesson.homes[exercise]
    where = f"{home.path}, {grade.found.path.name}"
    lines = [f"── {escape(row.name)} · {exercise} ({escape(where)}) {mark(outcome)}"]
    lines += [f"   {escape(message)}" for message in outcome.messages]
    if not outcome.messages and outcome.state in {State.FAILED, State.VOID}:
        lines.append(f"   {escape(outcome.detail)}")
    answer = grade.work.answers.get(exercise)
    solution = solution_of(lesson, exercise)
    if answer is None:
        return [*lines, "   (the cell is missing)"]
    if not answer.started:
        return [*lines, "   (not started: the stub is still there)"]
    if answer.lines == solution:
        return [*lines, "   (same as the solution)"]
    return lines + side_by_side(answer.lines, solution)


def _changed(row: Row, grade: LessonGrade) -> Iterator[str]:
    for path, diff in grade.work.changed.items():
        yield f"── {escape(row.name)} · {grade.found.lesson.name}: code changed outside the exercises ({escape(path)})"
        yield from (escape(line) for line in diff)
        yield ""


def diffs(columns: list[str], rows: list[Row], filters: Filters | None = None) -> str:
    filters = filters or Filters()
    out: list[str] = []
    for row in rows:
        if filters.attendees and row.name not in filters.attendees:
            continue
        for grade in row.lessons.values():
            lesson = grade.found.lesson
            wanted = [
                e for e in columns if e in lesson.exercises and filters.wants(row, e)
            ]
            for exercise in wanted:
                out += [*exercise_diff(row, grade, exercise), ""]
            if wanted or not (filters.exercises or filters.failed):
                out += list(_changed(row, grade))
    return "\n".join(out).rstrip() + "\n" if out else "No exercise code to compare.\n"
