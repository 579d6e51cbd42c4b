"""The room's rules: who may join, which results count, what the grid shows.

Routes stay thin and call these; refusals are `errors.Refused` values.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import secrets
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import AsyncIterable, Callable, Iterable

from workshop.room.errors import (
    FileNameTaken,
    NameTaken,
    NotAZip,
    NotInRoom,
    RoomFull,
    TooLarge,
    TooMany,
    UnknownExercise,
    WrongCode,
)
from workshop.room.export import to_csv
from workshop.room.limits import Buckets
from workshop.room.schemas import (
    Cell,
    Column,
    Failing,
    Grid,
    Joined,
    JoinRequest,
    Lesson,
    ResultIn,
    Row,
    Stuck,
)
from workshop.room.settings import BoardSettings, handins_folder, normal_code
from workshop.room.store import Attendee, Mark, Store


class Changes:
    """A counter the page's stream waits on; every join and result bumps it."""

    def __init__(self) -> None:
        self.version = 0
        self._event = asyncio.Event()

    def bump(self) -> None:
        self.version += 1
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seen: int, timeout: float) -> int:
        """The version once it is past `seen`, or after `timeout` seconds."""
        event = self._event
        if self.version == seen:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout)
        return self.version


def known_exercises() -> dict[str, str]:
    """Every exercise of this checkout, in course order: id → title."""
    from workshop.checking import all_exercises

    found = all_exercises()
    order = sorted(found, key=lambda e: tuple(int(n) for n in e.split(".")))
    return {e: found[e].title for e in order}


class Room:
    def __init__(
        self,
        *,
        store: Store,
        settings: BoardSettings,
        code: str,
        url: str,
        exercises: dict[str, str],
        course: frozenset[int] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store, self.settings, self.code, self.url = store, settings, code, url
        self.exercises, self.clock = exercises, clock
        # Results of lessons outside the course are kept (the CSV has them), not shown.
        self.course = course
        self.changes = Changes()
        self.closing = False
        self.results = Buckets(
            burst=settings.results_burst,
            per_minute=settings.results_per_minute,
            keys=settings.max_attendees,
        )
        self.wrong_codes = Buckets(
            burst=settings.wrong_codes_burst, per_minute=settings.wrong_codes_per_minute
        )

    def close(self) -> None:
        """The board is stopping: the pages' streams end now."""
        self.closing = True
        self.changes.bump()

    def is_code(self, given: str | None) -> bool:
        return secrets.compare_digest(
            normal_code(given or "").encode(), self.code.encode()
        )

    def admit(self, given: str | None, client: str) -> None:
        """Pass with the room's code; a wrong one counts against its address."""
        waiting = self.wrong_codes.wait(client)
        if waiting:
            raise TooMany("wrong codes from your address", waiting)
        if not self.is_code(given):
            if given:
                self.wrong_codes.take(client)
            raise WrongCode()

    @property
    def taught(self) -> list[int] | None:
        return None if self.course is None else sorted(self.course)

    async def join(self, request: JoinRequest, client: str) -> Joined:
        self.admit(request.code, client)
        known = await self.store.attendee(request.token) if request.token else None
        if known is not None and request.token is not None:
            if known.name != request.name and not await self.store.rename(
                known, request.name
            ):
                raise NameTaken(request.name)
            self.changes.bump()
            return Joined(name=request.name, token=request.token, course=self.taught)
        token = secrets.token_urlsafe(32)
        seats = self.settings.max_attendees
        outcome = await self.store.add(
            name=request.name, token=token, now=self.clock(), seats=seats
        )
        if outcome == "taken":
            raise NameTaken(request.name)
        if outcome == "full":
            raise RoomFull(seats)
        self.changes.bump()
        return Joined(name=request.name, token=token, course=self.taught)

    async def _seated(
        self, code: str | None, token: str | None, client: str, what: str
    ) -> Attendee:
        """The attendee behind `token`, with the room's code, within their rate
        of posts (results and hand-ins share it)."""
        self.admit(code, client)
        attendee = await self.store.attendee(token) if token else None
        if attendee is None:
            raise NotInRoom()
        waiting = self.results.take(str(attendee.id))
        if waiting:
            raise TooMany(what, waiting)
        return attendee

    async def post(self, result: ResultIn, token: str | None, client: str) -> None:
        attendee = await self._seated(result.code, token, client, "results")
        if result.exercise not in self.exercises:
            raise UnknownExercise(result.exercise)
        await self.store.record(
            attendee,
            result.exercise,
            passed=result.passed,
            ok=result.ok,
            total=result.total,
            now=self.clock(),
            step=result.step,
            step_text=result.step_text,
        )
        self.changes.bump()

    async def hand_in(
        self,
        chunks: AsyncIterable[bytes],
        code: str | None,
        token: str | None,
        client: str,
    ) -> str:
        """Keep an attendee's `workshop submit` zip as NAME.zip in the hand-ins
        folder, where `workshop grade` takes them all; the file's name. Nothing
        is read before the code and the attendee are known, nor past the limit."""
        attendee = await self._seated(code, token, client, "hand-ins")
        limit, data = self.settings.max_handin_mb * 1024 * 1024, bytearray()
        async for chunk in chunks:
            data += chunk
            if len(data) > limit:
                raise TooLarge(self.settings.max_handin_mb)
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise NotAZip()
        file = f"{file_name(attendee.name)}.zip"
        before = await self.store.handin_file(attendee)
        if not await self.store.hand_in(attendee, file, len(data), self.clock()):
            raise FileNameTaken(file)
        folder = handins_folder(self.settings)
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{file}.part"
        partial.write_bytes(data)
        partial.replace(folder / file)  # whole, or not there at all
        if before is not None and before != file:
            (folder / before).unlink(missing_ok=True)  # renamed since
        self.changes.bump()
        return file

    def _cell(self, mark: Mark, now: float, current: str | None) -> Cell:
        failing = None if mark.failing_since is None else now - mark.failing_since
        stuck = (
            failing is not None
            and failing > self.settings.stuck_after_seconds
            and mark.exercise == current  # not one they have moved on from
            and mark.tries > 1  # tried again: not a lesson's check run once
            and now - mark.last <= self.settings.stuck_recent_seconds
        )
        return Cell(
            passed=mark.passed,
            ok=mark.ok,
            total=mark.total,
            tries=mark.tries,
            failing_for=failing,
            stuck=stuck,
            step=None if mark.passed else mark.step,
        )

    async def csv(self) -> str:
        """Every attendee's tries, with their times (workshop.room.export)."""
        people, marks = await self.store.attendees(), await self.store.marks()
        return to_csv(people, marks, self.exercises)

    async def grid(self) -> Grid:
        """Everyone, and the exercises of every lesson somebody has started."""
        now = self.clock()
        people = await self.store.attendees()
        marks = await self.store.marks()
        latest: dict[int, Mark] = {}
        for mark in marks:
            if mark.attendee not in latest or mark.last > latest[mark.attendee].last:
                latest[mark.attendee] = mark
        current = {a: m.exercise for a, m in latest.items()}
        cells: dict[int, dict[str, Cell]] = defaultdict(dict)
        for mark in marks:
            cells[mark.attendee][mark.exercise] = self._cell(
                mark, now, current.get(mark.attendee)
            )
        handed = await self.store.handins()
        rows = [
            Row(
                name=p.name,
                cells=cells[p.id],
                seen=now - (latest[p.id].last if p.id in latest else p.joined),
                current=current.get(p.id),
                handed_in=now - handed[p.id] if p.id in handed else None,
            )
            for p in people
        ]
        active: dict[str, float] = {}
        for mark in marks:
            lesson = mark.exercise.split(".")[0]
            if self.course is None or int(lesson) in self.course:
                active[lesson] = max(active.get(lesson, 0.0), mark.last)
        shown = [e for e in self.exercises if e.split(".")[0] in active]
        columns = [
            Column(
                id=e,
                title=self.exercises[e],
                passed=sum(e in r.cells and r.cells[e].passed for r in rows),
                tried=sum(e in r.cells for r in rows),
                failing=_most_common_failing(m for m in marks if m.exercise == e),
            )
            for e in shown
        ]
        stuck = [
            Stuck(name=r.name, exercise=e, failing_for=c.failing_for or 0)
            for r in rows
            for e, c in r.cells.items()
            if c.stuck
        ]
        stuck.sort(key=lambda s: -s.failing_for)
        on = Counter(e.split(".")[0] for e in current.values())
        lessons = sorted(
            (Lesson(number=n, on=on[n], active=now - t) for n, t in active.items()),
            key=lambda lesson: (-lesson.on, lesson.active),
        )
        return Grid(
            url=self.url,
            code=self.code,
            attendees=len(rows),
            stuck_after=self.settings.stuck_after_seconds,
            columns=columns,
            lessons=lessons,
            rows=rows,
            stuck=stuck,
        )


def _most_common_failing(marks: Iterable[Mark]) -> Failing | None:
    """The step most attendees failing an exercise fail at, in the words of the
    latest check that failed there."""
    failing = [m for m in marks if not m.passed and m.step is not None]
    if not failing:
        return None
    step, count = Counter(m.step for m in failing).most_common(1)[0]
    words = max((m for m in failing if m.step == step), key=lambda m: m.last)
    return Failing(step=step, text=words.step_text or "", attendees=count)


def file_name(name: str) -> str:
    """A name as a file's: letters, digits, dots and dashes (as `workshop
    submit` names its zip, so the grader's row reads the same)."""
    return re.sub(r"[^\w.-]+", "-", name.strip()).strip(".-") or "attendee"
