"""Each exercise's stub sits in its own section, right above its check: an
attendee told "edit the cell below" finds it without scrolling (issue 29)."""

import re

import pytest

from workshop.authoring import notebooks
from workshop.authoring.regions import region_ids
from workshop.checking import exercises_of
from workshop.tests.conftest import ROOT

LESSONS = ["04", "06", "07"]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_region_lies_between_its_heading_and_its_check(lesson) -> None:
    (path,) = (ROOT / "solutions").glob(f"{lesson}-*.ipynb")
    cells = notebooks.read(path).cells
    for exercise in exercises_of(int(lesson)):
        heading = re.compile(rf"^###? Exercise {re.escape(exercise)}\b", re.M)
        (start,) = [i for i, c in enumerate(cells) if heading.search(c.source)]
        (end,) = [
            i for i, c in enumerate(cells) if c.source.strip() == f'check("{exercise}")'
        ]
        holding = [i for i, c in enumerate(cells) if exercise in region_ids(c.source)]
        assert holding, f"no cell holds a region of {exercise}"
        outside = [i for i in holding if not start < i < end]
        assert not outside, f"{exercise}: cells {outside} lie outside {start}..{end}"
        assert end - 1 in holding, f"{exercise}: cell {end - 1} holds no region"
