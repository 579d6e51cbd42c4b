"""Each exercise's stub sits beside its exercise: an attendee edits the cell right
above the check, instead of scrolling back for a TODO written long before."""

import re
from pathlib import Path

import pytest

from workshop.authoring import notebooks
from workshop.authoring.regions import region_ids
from workshop.checking import exercises_of

ROOT = Path(__file__).resolve().parents[3]
LESSONS = ["05"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_region_sits_between_its_exercise_and_its_check(lesson: str) -> None:
    (path,) = sorted((ROOT / "solutions").glob(f"{lesson}-*.ipynb"))
    cells = notebooks.read(path).cells
    exercises = exercises_of(int(lesson))
    assert exercises, f"lesson {lesson} has no exercises"
    for exercise in exercises:
        heading = re.compile(rf"^### Exercise {re.escape(exercise)}\b", re.MULTILINE)
        (start,) = [
            n
            for n, c in enumerate(cells)
            if c.cell_type == "markdown" and heading.search(c.source)
        ]
        (check,) = [
            n
            for n, c in enumerate(cells)
            if c.cell_type == "code" and c.source.strip() == f'check("{exercise}")'
        ]
        homes = [
            n
            for n, c in enumerate(cells)
            if c.cell_type == "code" and exercise in region_ids(c.source)
        ]
        assert homes, f"{exercise} has no region"
        outside = [n + 1 for n in homes if not start < n < check]
        assert not outside, (
            f"{exercise}: cells {outside} hold its region, away from its text "
            f"(cell {start + 1}) and its check (cell {check + 1})"
        )
        assert check - 1 in homes, (
            f"{exercise}: the cell right above its check holds none of its regions"
        )
