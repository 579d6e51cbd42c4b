"""What the board refuses, as values of one small hierarchy; `add_handlers` turns
each into one JSON answer, `{"detail": "..."}`, with its status."""

from __future__ import annotations

import math

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


class Refused(Exception):
    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class WrongCode(Refused):
    status = 403

    def __init__(self) -> None:
        super().__init__("That is not this room's code.")


class NotInRoom(Refused):
    status = 403

    def __init__(self) -> None:
        super().__init__("You are not in this room: join it first.")


class NameTaken(Refused):
    status = 409

    def __init__(self, name: str) -> None:
        super().__init__(
            f"Someone in the room is already called {name}: choose another name."
        )


class RoomFull(Refused):
    status = 409

    def __init__(self, size: int) -> None:
        super().__init__(f"The room is full ({size} attendees).")


class UnknownExercise(Refused):
    status = 422

    def __init__(self, exercise: str) -> None:
        super().__init__(f"There is no exercise {exercise} in this workshop.")


class NotAZip(Refused):
    status = 422

    def __init__(self) -> None:
        super().__init__("A hand-in is the .zip `workshop submit` writes.")


class TooLarge(Refused):
    status = 413

    def __init__(self, megabytes: int) -> None:
        super().__init__(f"A hand-in is at most {megabytes} MB.")


class FileNameTaken(Refused):
    status = 409

    def __init__(self, file: str) -> None:
        super().__init__(
            f"Someone else's hand-in is already {file}: join again with another "
            "name, then submit."
        )


class TooMany(Refused):
    status = 429

    def __init__(self, what: str, wait: float) -> None:
        self.retry_after = max(1, math.ceil(wait))
        super().__init__(f"Too many {what}: try again in {self.retry_after} s.")


async def _answer(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, Refused)
    headers = (
        {"Retry-After": str(error.retry_after)} if isinstance(error, TooMany) else None
    )
    return JSONResponse({"detail": error.detail}, error.status, headers=headers)


def add_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Refused, _answer)
