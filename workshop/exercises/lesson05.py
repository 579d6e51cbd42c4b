"""Checks for 05 · Database.

Each check works on a SQLite database of its own, made for the run; rows and ids
are chosen at random (workshop.exercises.chance), on top of fixed cases, so that
no answer can pass by remembering them. The migrations, the repositories and
the savepoint run where the app runs, driven by the observations of
workshop.exercises.observations.lesson05 with the rows drawn here; they return
plain data (ids, columns, SQL, exception classes), which the checks judge here
(outside the sandbox when grading, workshop.grading.judge).

Properties, each with the cases that exercise it:

05.1 (a migration for sessions.last_used_at)
- The upgrade adds a NOT NULL, time-zone-aware column and fills it for rows that
  exist: a database holding 2 to 4 sessions, each row read after the upgrade.
- The models and the migrations agree: `alembic check`, and the SQL the upgrade
  would send to PostgreSQL (TIMESTAMP WITH TIME ZONE).
- The downgrade removes the column and nothing else: every session (its id,
  user and refresh token) is still there after it; the upgrade then runs again.

05.2 (a page of items, in SQL)
- A page is the items in id order, cut by limit and offset: a page in the
  middle, the first item alone, a last page that is shorter than the limit, an
  offset past the end; ids, creation times, SKUs, names and prices are stored
  in different orders (times and SKUs shuffled, the first item stored in the
  middle of both), so only ordering by id gives the expected ids, and neither
  the newest nor the oldest first by time does.
- The owner filter applies before the cut: two owners whose items interleave,
  each one's page exactly their items.
- The order, limit and offset are SQL's (ORDER BY, LIMIT in every SELECT).

05.3 (a broken constraint in a savepoint)
- A broken unique constraint raises the domain's Conflict with the given
  message, as it is; only the savepoint is rolled back (the user before it stays, one
  added after it commits); any other error passes through unchanged: an error
  raised in the block, a broken CHECK (a role that does not exist) and a broken
  foreign key (an item whose owner does not exist) each stay what they are.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from workshop.checking import Checker, exercise
from workshop.exercises import observed
from workshop.exercises.chance import draw, hex_token
from workshop.exercises.observations import lesson05 as seen


@exercise(
    "05.1",
    "A new column, with its migration",
    hints=(
        "upgrade() adds the column the model declares, downgrade() removes it. "
        "Look at how 0001_initial.py declares created_at, and remember that "
        "SQLite changes a table in batch mode.",
        "Both functions open op.batch_alter_table on the sessions table. upgrade() "
        "adds an sa.Column with the timezone-aware DateTime type, not nullable, "
        "whose server default is the current time (what the existing rows get); "
        "downgrade() drops that column again.",
    ),
    steps=10,
)
def session_last_used_column(t: Checker) -> None:
    rng = draw()
    user_id = rng.randrange(100, 1000)
    stored = [
        [rng.randrange(10, 10_000) + 10_000 * n, user_id, f"r{n}-{hex_token(rng)}"]
        for n in range(rng.randint(2, 4))
    ]
    saw = t.observe(seen.migration_round_trip, user_id=user_id, sessions=stored)
    saw = saw if isinstance(saw, dict) else {}
    upgraded = saw.get("upgrade")
    t.expect(
        upgraded == "",
        "the upgrade runs on a database that already holds sessions",
        upgraded,
    )
    columns = saw.get("columns")
    column = columns.get("last_used_at") if isinstance(columns, dict) else None
    t.expect(column is not None, "sessions has a column last_used_at after it")
    t.expect(
        isinstance(column, dict) and column.get("notnull") is True,
        "the column may not be empty (NOT NULL), as the model says",
        got=column,
    )
    values = saw.get("last used")
    t.expect(
        isinstance(values, list) and len(values) == len(stored) and None not in values,
        "each session stored before the upgrade got a time",
        got=f"{len(stored)} sessions stored, last_used_at: {values!r}",
    )
    difference = saw.get("check")
    t.expect(
        difference == "",
        "alembic check finds the models and the migrations in agreement",
        got="the upgrade failed" if difference is None else difference,
    )
    kind = t.observe(seen.postgresql_type, column="last_used_at")
    t.expect(
        kind == "TIMESTAMP WITH TIME ZONE",
        "on PostgreSQL the column keeps the time zone, as the model's does "
        "(TIMESTAMP WITH TIME ZONE)",
        got=kind,
    )
    downgraded = saw.get("downgrade")
    t.expect(downgraded == "", "the downgrade to 0001_initial runs", downgraded)
    after = saw.get("columns after")
    t.expect(
        isinstance(after, list) and "last_used_at" not in after,
        "after the downgrade, the column is gone",
    )
    kept = saw.get("kept")
    t.expect(
        kept == sorted(stored),
        "the downgrade keeps every session: same ids, users and refresh tokens",
        got=f"{kept}, expected {sorted(stored)}",
    )
    again = saw.get("again")
    t.expect(again == "", "and the upgrade runs again", again)


def _neither_way(rng: Any, count: int) -> list[int]:
    """0 to count - 1 shuffled, the first place holding neither end: ordered by
    it, up or down, the first item stored never comes first."""
    order = list(range(count))
    rng.shuffle(order)
    middle = order.index(count // 2)
    order[0], order[middle] = order[middle], order[0]
    return order


@exercise(
    "05.2",
    "A page of items, in the database",
    hints=(
        "Build one select() of the items: ordered, limited and offset, and "
        "filtered by owner only when owner_id is not None. Let the session run "
        "it; no slicing in Python.",
        "select(Item).order_by(Item.id) gives every item, oldest first; "
        ".limit(...) and .offset(...) cut the page in SQL; add .where(Item.owner_id "
        "== owner_id) when an owner is given; session.scalars(query) runs it.",
    ),
    steps=7,
)
def page_of_items(t: Checker) -> None:
    rng = draw()
    count = rng.randint(14, 19)
    ada_count = rng.randint(7, count - 5)  # both owners hold more than a page
    rest = [True] * (ada_count - 2) + [False] * (count - ada_count - 2)
    rng.shuffle(rest)
    # Interleaved from the start, whatever the draw: a page cut before the
    # owner is filtered never equals the owner's page.
    is_ada = [False, True, False, True, *rest]
    names = [f"item {n}" for n in range(count)]
    rng.shuffle(names)
    prices = rng.sample(range(100, 100_000), count)
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(300))
    times, skus = _neither_way(rng, count), _neither_way(rng, count)
    items = [
        {
            "name": names[n],
            "price_cents": prices[n],
            "sku": f"CHK-{9000 + skus[n]}",
            "owner": 0 if is_ada[n] else 1,
            "minutes": times[n],
        }
        for n in range(count)
    ]
    asked = {  # name: (limit, offset, owner)
        "all": [(5, 3, None)],
        "edges": [(1, 0, None), (5, count - 2, None)],
        "ada": [(4, 1, 0)],
        "past the end": [(5, 100, None)],
        "bob": [(50, 0, 1)],
    }
    pages = [
        {"limit": limit, "offset": offset, "owner": owner}
        for each in asked.values()
        for limit, offset, owner in each
    ]
    saw = t.observe(seen.item_pages, items=items, start=start.isoformat(), pages=pages)
    saw = saw if isinstance(saw, dict) else {}
    ids, found = saw.get("ids"), saw.get("pages")
    if not (
        isinstance(ids, list)
        and len(ids) == count
        and isinstance(found, list)
        and len(found) == len(pages)
    ):
        raise ValueError(f"the items and pages were not all seen: {saw!r}"[:300])
    everyone = sorted(ids)
    mine = [
        [i for i, item in zip(ids, items, strict=True) if item["owner"] == o]
        for o in (0, 1)
    ]
    expected = {
        "all": everyone[3:8],
        "edges": [everyone[:1], everyone[-2:]],
        "ada": mine[0][1:5],
        "past the end": [],
        "bob": mine[1],
    }
    got: dict[str, Any] = {}
    for name, each in asked.items():
        got[name] = found[: len(each)] if len(each) > 1 else found[0]
        found = found[len(each) :]
    for name, what in (
        ("all", "a page of every item (limit 5, offset 3), lowest id first"),
        ("edges", "the first item alone (limit 1), and a last page shorter than 5"),
        ("ada", "a page of one owner's items (limit 4, offset 1)"),
        ("past the end", "an offset past the end gives an empty page"),
        ("bob", "another owner's page holds exactly that owner's items"),
    ):
        t.expect(
            got[name] == expected[name],
            what,
            got=f"ids {got[name]}, expected {expected[name]}",
        )
    statements = saw.get("sql")
    sql = [
        s
        for s in (statements if isinstance(statements, list) else [])
        if isinstance(s, str) and s.upper().startswith("SELECT")
    ]
    t.expect(
        sql and all("ORDER BY" in s.upper() for s in sql),
        "the query orders by id in SQL (ORDER BY)",
        got=sql[:1],
    )
    t.expect(
        sql and all("LIMIT" in s.upper() for s in sql),
        "the page is cut in SQL (LIMIT and OFFSET), not in Python",
        got=sql[:1],
    )


CONFLICT = "app.errors.Conflict"
INTEGRITY_ERROR = "sqlalchemy.exc.IntegrityError"
BOOM = f"{seen.Boom.__module__}.{seen.Boom.__qualname__}"


@exercise(
    "05.3",
    "A broken constraint is a 409, and the transaction goes on",
    hints=(
        "Run the caller's block inside a nested transaction of the session (a "
        "SAVEPOINT), and turn the database's integrity error into the domain's "
        "Conflict, but only a duplicate: transactions.py can tell you which.",
        "The session's begin_nested() is an async context manager: yield inside "
        "it. Wrap that in a try whose except catches sqlalchemy.exc's "
        "IntegrityError; when broke_a_unique_constraint, earlier in the file, says "
        "the error broke a unique constraint, raise the domain's Conflict with the "
        "message you were given, else raise the error again. Leaving the nested "
        "block releases the savepoint, which sends the rows.",
    ),
    steps=6,
)
def conflicts_in_a_savepoint(t: Checker) -> None:
    rng = draw()
    first, other = (f"{n}-{hex_token(rng)}@example.com" for n in ("ada", "eve"))
    saw = t.observe(
        seen.savepoint_outcomes,
        first=first,
        other=other,
        mallory=f"mallory-{hex_token(rng)}@example.com",
        sku=f"T-{hex_token(rng)}"[:20],
        missing_owner=rng.randrange(10_000, 100_000),
    )
    saw = saw if isinstance(saw, dict) else {}
    duplicate = saw.get("duplicate")
    t.expect(
        observed.is_a(duplicate, CONFLICT),
        "a second user with the same email raises Conflict",
        got=observed.kind(duplicate),
    )
    message = duplicate.get("message") if isinstance(duplicate, dict) else None
    t.expect(
        observed.is_a(duplicate, CONFLICT)
        and isinstance(message, str)
        and message == saw.get("given"),
        "the Conflict carries the message the repository gave it, as it is (the "
        "database's own text names its tables and columns)",
        got=f"{message!r}, given {saw.get('given')!r}",
    )
    after = saw.get("after")
    t.expect(
        after is None,
        "the session goes on: another user can be added and committed after it",
        got=_told(after),
    )
    t.expect(
        saw.get("stored") == sorted([first, other]),
        "only the savepoint was rolled back: the first user is still stored",
        got=saw.get("stored"),
    )
    t.expect(
        observed.is_a(saw.get("boom"), BOOM),
        "an error that is not a broken constraint passes through unchanged",
        got=observed.kind(saw.get("boom")),
    )
    outcomes = saw.get("not duplicates")
    outcomes = outcomes if isinstance(outcomes, dict) else {}
    wrong = {
        what: observed.kind(outcomes.get(what))
        for what in ("a role that does not exist", "an item whose owner does not exist")
        if not observed.is_a(outcomes.get(what), INTEGRITY_ERROR)
    }
    t.expect(
        not wrong,
        "a broken CHECK or foreign key is no duplicate: its IntegrityError goes on",
        got=", ".join(f"{what}: {name}" for what, name in wrong.items()),
    )


def _told(error: Any) -> str:
    """An exception seen, in one line: its class and the start of its text."""
    message = error.get("message") if isinstance(error, dict) else ""
    lines = str(message).splitlines()
    return f"{observed.kind(error)}: {lines[0][:120] if lines else ''}"
