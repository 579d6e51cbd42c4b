"""Checks for 03 · Dependencies.

What needs the attendee's objects (a probe route built on PaginationDep, the
user service the app's dependencies build, the attendee's test run against
broken routes) is done where the app runs, by the observations of
workshop.exercises.observations.lesson03, which return plain data; the checks
judge it here (outside the sandbox when grading, workshop.grading.judge).

Properties, each with the cases that exercise it:

03.1 (pagination with bounds)
- limit takes 1 to MAX_LIMIT, both included, and defaults to DEFAULT_LIMIT;
  offset takes 0 and up, default 0: the defaults, limit=1, limit=MAX_LIMIT,
  offset=40 and offset=1000000 accepted as they are; limit=0, limit=MAX_LIMIT+1 and offset=-1
  refused (422).

03.2 (one account per email)
- An email belongs to one account: a second sign-up with it, and a change of
  another user's email to it, raise Conflict naming the email; different emails
  give different users, and keeping one's own email is no conflict. Ids are
  compared by value: the observed repository answers as a database does, each
  read a new record whose id is a new number above 256 (the same id read twice
  is equal, never the same object), shifted by a number drawn for the run.

03.3 (domain errors to HTTP)
- NotFound answers 404 and Conflict 409, each with the message it was raised
  with as its detail.

03.4 (a test of a route on its own)
- The attendee's test passes against the real route and fails against routes
  that break it (limit and offset swapped, among others).
"""

from __future__ import annotations

from typing import Any

from workshop import answers
from workshop.checking import Checker, exercise
from workshop.exercises import observed
from workshop.exercises.chance import draw
from workshop.exercises.observations import lesson03 as seen

# As app/dependencies.py defines them, outside the exercise's region.
DEFAULT_LIMIT, MAX_LIMIT = 20, 100


@exercise(
    "03.1",
    "Pagination with bounds",
    hints=(
        "The bounds go on the parameters of get_pagination: Query() takes "
        "the same ge/le as lesson 02's Field(). Mind which bounds include the "
        "limit.",
        "Each parameter becomes Annotated[int, Query(...)] with its default after "
        "the = sign. limit keeps DEFAULT_LIMIT as its default and may be as low "
        "as 1 and as high as MAX_LIMIT, both allowed; offset keeps 0 and may not "
        "go below it. ge and le include the limit, gt and lt exclude it.",
    ),
    steps=7,
)
def pagination_bounds(t: Checker) -> None:
    accepted = [  # (query, the page expected, what it shows)
        (
            {},
            {"limit": DEFAULT_LIMIT, "offset": 0},
            f"without parameters the page is limit={DEFAULT_LIMIT}, offset=0",
        ),
        (
            {"limit": MAX_LIMIT, "offset": 40},
            {"limit": MAX_LIMIT, "offset": 40},
            f"limit={MAX_LIMIT}&offset=40 is accepted as it is",
        ),
        (
            {"limit": 1, "offset": 0},
            {"limit": 1, "offset": 0},
            "limit=1&offset=0 is accepted as it is",
        ),
        (
            {"limit": 1, "offset": 1_000_000},
            {"limit": 1, "offset": 1_000_000},
            "offset=1000000 is accepted: an offset has no upper bound",
        ),
    ]
    refused = [
        ({"limit": MAX_LIMIT + 1}, f"limit={MAX_LIMIT + 1} is refused"),
        ({"limit": 0}, "limit=0 is refused"),
        ({"offset": -1}, "offset=-1 is refused"),
    ]
    queries = [q for q, _, _ in accepted] + [q for q, _ in refused]
    answered = t.observe(seen.pages, queries=queries)
    if not isinstance(answered, list) or len(answered) != len(queries):
        answered = [answered] * len(queries)  # shown as it is in each ✗ line
    for (_, page, text), got in zip(accepted, answered, strict=False):
        ok = (
            observed.response(got).status_code == 200
            and _json(observed.response(got)) == page
        )
        t.expect(ok, text, got=observed.said(got))
    for (_, text), got in zip(refused, answered[len(accepted) :], strict=False):
        t.expect(
            observed.response(got).status_code == 422,
            f"{text} (422)",
            got=observed.said(got),
        )


def _json(answer: Any) -> Any:
    try:
        return answer.json()
    except ValueError:
        return None


@exercise(
    "03.2",
    "One account per email",
    hints=(
        "The repository finds a user by email; a user who keeps their own email "
        "(owner_id) is not a conflict. Services raise domain errors, not "
        "ValueError.",
        "Await the repository's lookup by email. When it finds a user whose id is "
        "not owner_id, raise Conflict with a message that names the email; in "
        "every other case (nobody, or the owner), let the method end without "
        "raising. Remove the early `return` of the stub.",
    ),
    steps=5,
)
def one_account_per_email(t: Checker) -> None:
    # The service comes from the app's own dependencies, built however the
    # current lesson builds it (later lessons give it more collaborators).
    shift = 1_000_000 + draw().randrange(1_000_000)
    first, second = "first@example.com", "second@example.com"
    saw = t.observe(seen.email_conflicts, shift=shift, first=first, second=second)
    ids = saw.get("ids") if isinstance(saw, dict) else None
    t.expect(
        isinstance(ids, list) and len(ids) == 2 and ids[0] != ids[1],
        "two users with different emails are created",
        got=f"ids {ids!r}",
    )
    taken = saw.get("again")
    t.expect(
        isinstance(taken, str),
        "creating a second user with the same email raises Conflict",
    )
    t.expect(
        isinstance(taken, str) and first in taken,
        "the Conflict's message names the email that is taken",
        got=repr(taken),
    )
    t.expect(
        isinstance(saw.get("taken"), str),
        "changing a user's email to another user's email raises Conflict",
    )
    own = saw.get("own", "")
    user = ids[0] if isinstance(ids, list) and ids else None
    t.expect(
        own is None,
        "a user may 'change' their email to the one they already have "
        "(compared by value, as ids read twice from a database are)",
        got=f"user {user} keeping {first}: Conflict {own!r}, expected no Conflict",
    )


@exercise(
    "03.3",
    "Domain errors to HTTP",
    hints=(
        "STATUS_CODES maps each error class to the status it means; "
        "fastapi.status names every status code.",
        "The dictionary needs two entries: the NotFound class as a key, with the "
        "404 constant of fastapi.status as its value, and Conflict with the 409 "
        "one. The handler below already looks every domain error up in it.",
    ),
    steps=3,
)
def domain_errors_to_http(t: Checker) -> None:
    message = "That name is taken."
    saw = t.observe(
        seen.domain_errors, missing="There is no such thing.", taken=message
    )
    saw = saw if isinstance(saw, dict) else {}
    missing, taken = saw.get("missing"), saw.get("taken")
    t.expect(
        observed.response(missing).status_code == 404,
        "a route that raises NotFound answers (404)",
        got=observed.said(missing),
    )
    t.expect(
        observed.response(taken).status_code == 409,
        "a route that raises Conflict answers (409)",
        got=observed.said(taken),
    )
    t.expect(
        answers.error_message(observed.response(taken)) == message,
        'the body is {"detail": <the error message>}',
        got=observed.said(taken),
    )


@exercise(
    "03.4",
    "Test a route on its own",
    hints=(
        "Look at the first test of tests/test_dependencies.py: it does the same "
        "for users. What is the provider function of the item service called?",
        "Copy the shape of the users test: key app.dependency_overrides by the "
        "item service's provider, with a function that returns a FakeItemService "
        "you keep in a variable; ask GET /api/v1/items for a limit and an offset "
        "other than the defaults; then assert that the route answered 200 and "
        "that the fake's calls hold exactly that page. Remove the pytest.skip line.",
    ),
    steps=5,
)
def route_tested_alone(t: Checker) -> None:
    real = _tested(t, "real")
    t.expect(
        real["problem"] == "",
        "your test passes against the real route",
        got=real["problem"],
    )
    t.expect(
        real["touched"] is False,
        "the real item service never runs: the fake takes its place",
        got="the real ItemService.page ran",
    )
    t.expect(
        _tested(t, "swapped")["problem"],
        "it fails against a route that swaps limit and offset",
        got="passed",
    )
    t.expect(
        _tested(t, "ignored")["problem"],
        "it fails against a route that ignores ?limit= and ?offset= (ask for a "
        "page other than the default one)",
        got="passed",
    )
    t.expect(
        _tested(t, "broken")["problem"],
        "it fails against a route that answers 500 after calling the service "
        "(look at the status too)",
        got="passed",
    )


def _tested(t: Checker, route: str) -> dict[str, Any]:
    """What the attendee's test said of `route` (see seen.attendee_test): a
    "problem" that is text, "" when it passed, and whether the service ran."""
    saw = t.observe(seen.attendee_test, route=route)
    problem = saw.get("problem") if isinstance(saw, dict) else None
    if not isinstance(problem, str):
        return {"problem": f"no answer: {saw!r}"[:200], "touched": None}
    return {"problem": problem, "touched": saw.get("touched")}
