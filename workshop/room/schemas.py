"""What enters the board and what leaves it.

Inputs forbid unknown fields: a result is an exercise id, whether it passed and
two counts, nothing else (no code, no file, no output). Names are plain text of
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


Name = Annotated[str, Field(max_length=4 * NAME_LENGTH), AfterValidator(_plain_name)]
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


class ResultIn(Strict):
    code: Code
    exercise: str = Field(pattern=r"^\d{2}\.\d{1,2}$")
    passed: bool
    ok: int = Field(ge=0, le=100, description="steps that passed")
    total: int = Field(ge=0, le=100, description="steps the check has")

    @model_validator(mode="after")
    def counts_add_up(self) -> ResultIn:
        if self.ok > self.total or (self.passed and self.ok != self.total):
            raise ValueError("ok counts the steps that passed, of total")
        return self


class Cell(BaseModel):
    passed: bool
    ok: int
    total: int
    tries: int
    failing_for: float | None  # seconds, while it fails
    stuck: bool


class Row(BaseModel):
    name: str
    cells: dict[str, Cell]


class Column(BaseModel):
    id: str
    title: str
    passed: int  # attendees who passed it
    tried: int  # attendees who sent a result for it


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
    rows: list[Row]
    stuck: list[Stuck]  # the longest first
