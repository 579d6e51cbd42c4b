"""The room in SQLite: who joined, and each attendee's latest result per exercise.

One row per (attendee, exercise), updated in place, so what is stored is bounded
by the room's size and the workshop's exercises; it keeps when the exercise was
first tried and first passed, for the instructor's measure of each exercise. Each statement is one
transaction (autocommit), so two attendees joining at once cannot both take the
last seat. Tokens are kept as their SHA-256, never as themselves.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

SCHEMA = """
CREATE TABLE IF NOT EXISTS room (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attendees (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    token TEXT NOT NULL UNIQUE,
    joined REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    attendee INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    exercise TEXT NOT NULL,
    passed INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    total INTEGER NOT NULL,
    tries INTEGER NOT NULL,
    last REAL NOT NULL,
    failing_since REAL,
    PRIMARY KEY (attendee, exercise)
);
CREATE TABLE IF NOT EXISTS handins (
    attendee INTEGER PRIMARY KEY REFERENCES attendees (id) ON DELETE CASCADE,
    file TEXT NOT NULL UNIQUE,
    bytes INTEGER NOT NULL,
    at REAL NOT NULL
);
"""
# Added since the first boards: a room kept from then gains them at start.
LATER_COLUMNS = {
    "first_try": "REAL",
    "first_pass": "REAL",
    "step": "INTEGER",
    "step_text": "TEXT",
}

# A failure starts the clock unless the exercise was failing already; a pass stops it.
RECORD = """
INSERT INTO results
    (attendee, exercise, passed, ok, total, tries, last, failing_since,
     first_try, first_pass, step, step_text)
VALUES (:attendee, :exercise, :passed, :ok, :total, 1, :now,
        CASE WHEN :passed THEN NULL ELSE :now END,
        :now, CASE WHEN :passed THEN :now END, :step, :step_text)
ON CONFLICT (attendee, exercise) DO UPDATE SET
    passed = excluded.passed, ok = excluded.ok, total = excluded.total,
    tries = results.tries + 1, last = excluded.last,
    failing_since = CASE WHEN excluded.passed THEN NULL
                         ELSE coalesce(results.failing_since, excluded.last) END,
    first_try = coalesce(results.first_try, excluded.last),
    first_pass = coalesce(results.first_pass, excluded.first_pass),
    step = excluded.step, step_text = excluded.step_text
"""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Attendee:
    id: int
    name: str
    joined: float = 0.0


@dataclass(frozen=True)
class Mark:
    attendee: int
    exercise: str
    passed: bool
    ok: int
    total: int
    tries: int
    failing_since: float | None
    last: float = 0.0
    first_try: float | None = None
    first_pass: float | None = None
    step: int | None = None
    step_text: str | None = None


class Store:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    @classmethod
    async def open(cls, path: Path) -> Store:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path, isolation_level=None)
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")
        await db.execute("PRAGMA foreign_keys = ON")
        await db.executescript(SCHEMA)
        async with db.execute("PRAGMA table_info(results)") as rows:
            present = {row[1] for row in await rows.fetchall()}
        for name, kind in LATER_COLUMNS.items():
            if name not in present:
                await db.execute(f"ALTER TABLE results ADD COLUMN {name} {kind}")
        return cls(db)

    async def close(self) -> None:
        await self.db.close()

    async def code(self, wanted: str | None, new: str) -> str:
        """The room's code: `wanted` if given, else the kept one, else `new`."""
        if wanted is None:
            async with self.db.execute(
                "SELECT value FROM room WHERE key = 'code'"
            ) as rows:
                kept = await rows.fetchone()
            if kept is not None:
                return str(kept[0])
        code = wanted or new
        await self.db.execute(
            "INSERT INTO room VALUES ('code', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (code,),
        )
        return code

    async def add(self, *, name: str, token: str, now: float, seats: int) -> str:
        """Seat a new attendee: "added", "full" (`seats` taken) or "taken" (the
        name is someone's, whatever its case)."""
        try:
            added = await self.db.execute(
                "INSERT INTO attendees (name, token, joined) SELECT ?, ?, ? "
                "WHERE (SELECT count(*) FROM attendees) < ?",
                (name, digest(token), now, seats),
            )
        except sqlite3.IntegrityError:
            return "taken"
        return "added" if added.rowcount == 1 else "full"

    async def rename(self, attendee: Attendee, name: str) -> bool:
        """False when the name is someone else's."""
        try:
            await self.db.execute(
                "UPDATE attendees SET name = ? WHERE id = ?", (name, attendee.id)
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def attendee(self, token: str) -> Attendee | None:
        async with self.db.execute(
            "SELECT id, name FROM attendees WHERE token = ?", (digest(token),)
        ) as rows:
            found = await rows.fetchone()
        return Attendee(*found) if found else None

    async def record(
        self,
        attendee: Attendee,
        exercise: str,
        *,
        passed: bool,
        ok: int,
        total: int,
        now: float,
        step: int | None = None,
        step_text: str | None = None,
    ) -> None:
        await self.db.execute(
            RECORD,
            {
                "attendee": attendee.id,
                "exercise": exercise,
                "passed": passed,
                "ok": ok,
                "total": total,
                "now": now,
                "step": step,
                "step_text": step_text,
            },
        )

    async def hand_in(
        self, attendee: Attendee, file: str, size: int, now: float
    ) -> bool:
        """Note the attendee's hand-in; False when `file` is someone else's."""
        try:
            await self.db.execute(
                "INSERT INTO handins VALUES (?, ?, ?, ?) ON CONFLICT (attendee) "
                "DO UPDATE SET file = excluded.file, bytes = excluded.bytes, "
                "at = excluded.at",
                (attendee.id, file, size, now),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    async def handin_file(self, attendee: Attendee) -> str | None:
        async with self.db.execute(
            "SELECT file FROM handins WHERE attendee = ?", (attendee.id,)
        ) as rows:
            found = await rows.fetchone()
        return str(found[0]) if found else None

    async def handins(self) -> dict[int, float]:
        """When each attendee who handed in last did so."""
        async with self.db.execute("SELECT attendee, at FROM handins") as rows:
            return {a: at for a, at in await rows.fetchall()}

    async def attendees(self) -> list[Attendee]:
        async with self.db.execute(
            "SELECT id, name, joined FROM attendees ORDER BY name COLLATE NOCASE, id"
        ) as rows:
            return [Attendee(*row) for row in await rows.fetchall()]

    async def marks(self) -> list[Mark]:
        async with self.db.execute(
            "SELECT attendee, exercise, passed, ok, total, tries, failing_since, "
            "last, first_try, first_pass, step, step_text FROM results"
        ) as rows:
            return [
                Mark(a, e, bool(p), *rest) for a, e, p, *rest in await rows.fetchall()
            ]
