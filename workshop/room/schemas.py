"""What enters the board and what leaves it.

Inputs forbid unknown fields: a result is an exercise id, whether it passed,
two counts and the check's own words for the first step that did not pass,
nothing else (no code, no file, no output). Names are plain text of
at most NAME_LENGTH characters, without control or invisible formatting
characters; the page shows them as text, whatever they hold.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

NAME_LENGTH = 40
TOKEN_LENGTH = 64


def _plain_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValueError("give a name for the board")
    if len(name) > NAME_LENGTH:
        raise ValueError(f"a name has at most {NAME_LENGTH} characters")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise ValueError("a name cannot hold control or invisible characters")
    return name


def _plain_text(text: str) -> str:
    text = " ".join(text.split())
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise ValueError("text cannot hold control or invisible characters")
    return text[:STEP_LENGTH]


STEP_LENGTH = 120
Name = Annotated[str, Field(max_length=4 * NAME_LENGTH), AfterValidator(_plain_name)]
StepText = Annotated[
    str, Field(max_length=4 * STEP_LENGTH), AfterValidator(_plain_text)
]
Code = Annotated[str, Field(min_length=1, max_length=32)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class JoinRequest(Strict):
    code: Code
    name: Name
    # Joining again with the token you were given keeps your row (a new name
    # renames it).
    token: str | None = Field(None, max_length=TOKEN_LENGTH)


class Joined(BaseModel):
    name: str
    token: str
    # The lessons the board was started with (`--course`, or the instructor's
    # `workshop course`); None: every lesson. `join` keeps it for notebook 00.
    course: list[int] | None = None


class ResultIn(Strict):
    code: Code
    exercise: str = Field(pattern=r"^\d{2}\.\d{1,2}$")
    passed: bool
    ok: int = Field(ge=0, le=100, description="steps that passed")
    total: int = Field(ge=0, le=100, description="steps the check has")
    step: int | None = Field(
        None, ge=1, le=100, description="the first step that did not pass"
    )
    step_text: StepText | None = Field(
        None, description="that step, in the check's words"
    )

    @model_validator(mode="after")
    def counts_add_up(self) -> ResultIn:
        if self.ok > self.total or (self.passed and self.ok != self.total):
            raise ValueError("ok counts the steps that passed, of total")
        if self.passed and self.step is not None:
            raise ValueError("a result that passed has no failing step")
        return self


class Cell(BaseModel):
    passed: bool
    ok: int
    total: int
    tries: int
    failing_for: float | None  # seconds, while it fails
    stuck: bool
    step: int | None = None  # the first step that does not pass yet


class Row(BaseModel):
    name: str
    cells: dict[str, Cell]
    seen: float  # seconds since their last result (or since they joined)
    current: str | None  # the exercise of their last result: the one they are on
    handed_in: float | None = None  # seconds since their hand-in, if any


class Failing(BaseModel):
    step: int
    text: str  # as the latest check that failed there said it
    attendees: int  # failing there now


class Column(BaseModel):
    id: str
    title: str
    passed: int  # attendees who passed it
    tried: int  # attendees who sent a result for it
    failing: Failing | None  # the step most of those failing it fail at


class Lesson(BaseModel):
    number: str  # "04"
    on: int  # attendees whose last result is of this lesson: where the room is
    active: float  # seconds since its last result


class Stuck(BaseModel):
    name: str
    exercise: str
    failing_for: float


class Grid(BaseModel):
    url: str
    code: str
    attendees: int
    stuck_after: float
    columns: list[Column]
    lessons: list[Lesson]  # of the columns, the one most attendees are on first
    rows: list[Row]
    stuck: list[Stuck]  # the longest first
