"""Checks for 03 · Dependencies.

No `from __future__ import annotations` here: FastAPI must see the real types of
the probe routes' parameters, which are imported inside the checks.

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
  compared by value: the check's repository answers as a database does, each
  read a new record whose id is a new number above 256 (the same id read twice
  is equal, never the same object).

03.3 (domain errors to HTTP)
- NotFound answers 404 and Conflict 409, each with the message it was raised
  with as its detail.

03.4 (a test of a route on its own)
- The attendee's test passes against the real route and fails against routes
  that break it (limit and offset swapped, among others).
"""

from typing import Any

from workshop import answers
from workshop.checking import Checker, exercise
from workshop.exercises.chance import draw


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
    from fastapi import FastAPI

    from app.dependencies import DEFAULT_LIMIT, MAX_LIMIT, PaginationDep

    probe = FastAPI()

    @probe.get("/page")
    async def page(page: PaginationDep) -> dict[str, int]:
        return {"limit": page.limit, "offset": page.offset}

    with t.client(probe) as client:

        def accepted(expected: dict[str, int], text: str, **params: Any) -> None:
            response = client.get("/page", params=params)
            ok = response.status_code == 200 and response.json() == expected
            t.expect(ok, text, got=t.describe(response))

        def refused(text: str, **params: Any) -> None:
            t.status(client.get("/page", params=params), 422, text)

        accepted(
            {"limit": DEFAULT_LIMIT, "offset": 0},
            f"without parameters the page is limit={DEFAULT_LIMIT}, offset=0",
        )
        accepted(
            {"limit": MAX_LIMIT, "offset": 40},
            f"limit={MAX_LIMIT}&offset=40 is accepted as it is",
            limit=MAX_LIMIT,
            offset=40,
        )
        accepted(
            {"limit": 1, "offset": 0},
            "limit=1&offset=0 is accepted as it is",
            limit=1,
            offset=0,
        )
        accepted(
            {"limit": 1, "offset": 1_000_000},
            "offset=1000000 is accepted: an offset has no upper bound",
            limit=1,
            offset=1_000_000,
        )
        refused(f"limit={MAX_LIMIT + 1} is refused", limit=MAX_LIMIT + 1)
        refused("limit=0 is refused", limit=0)
        refused("offset=-1 is refused", offset=-1)


class _Read:
    """A record as a fresh read returns it: every attribute of the stored one,
    with the id `id`."""

    def __init__(self, record: Any, id: int) -> None:
        self._record, self.id = record, id

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)


class _LargeIds:
    """The lesson's user repository, answering as a database with large ids does:
    each read is a new record, its id a new int above 256 (CPython shares the
    ints -5 to 256 only), so that an answer comparing ids with `is` is seen."""

    def __init__(self, users: Any, shift: int) -> None:
        self._users, self._shift = users, shift

    def _read(self, record: Any) -> Any:
        return None if record is None else _Read(record, record.id + self._shift)

    async def add(self, **values: Any) -> Any:
        return self._read(await self._users.add(**values))

    async def get(self, user_id: int) -> Any:
        return self._read(await self._users.get(user_id - self._shift))

    async def get_by_email(self, email: str) -> Any:
        return self._read(await self._users.get_by_email(email))

    async def update(self, user: Any, changes: Any) -> Any:
        return self._read(await self._users.update(user._record, changes))

    def __getattr__(self, name: str) -> Any:  # what the lesson adds, as it is
        return getattr(self._users, name)


async def _conflict(call: Any) -> str | None:
    """The message of the Conflict that awaiting `call` (a service call) raises;
    None when it raises none."""
    from app.errors import Conflict

    try:
        await call
    except Conflict as error:
        return str(error)
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
    from app.dependencies import UserServiceDep
    from app.schemas.users import UserCreate, UserUpdate

    def user(email: str) -> UserCreate:
        return UserCreate(
            email=email, full_name="Check", password="a long enough password"
        )

    # The service comes from the app's own dependencies, built however the
    # current lesson builds it (later lessons give it more collaborators).
    app = t.app()
    raised: list[Exception] = []

    shift = 1_000_000 + draw().randrange(1_000_000)

    @app.get("/check-03-2")
    async def scenario(service: UserServiceDep) -> None:
        service.users = _LargeIds(service.users, shift)
        try:
            first = await service.create(user("first@example.com"))
            second = await service.create(user("second@example.com"))
            t.expect(
                first.id != second.id, "two users with different emails are created"
            )
            taken = await _conflict(service.create(user("first@example.com")))
            t.expect(
                taken is not None,
                "creating a second user with the same email raises Conflict",
            )
            t.expect(
                taken is not None and "first@example.com" in taken,
                "the Conflict's message names the email that is taken",
                got=repr(taken),
            )
            t.expect(
                await _conflict(
                    service.update(
                        user_id=second.id, data=UserUpdate(email=first.email)
                    )
                )
                is not None,
                "changing a user's email to another user's email raises Conflict",
            )
            own = await _conflict(
                service.update(user_id=first.id, data=UserUpdate(email=first.email))
            )
            t.expect(
                own is None,
                "a user may 'change' their email to the one they already have "
                "(compared by value, as ids read twice from a database are)",
                got=f"user {first.id} keeping {first.email}: Conflict {own!r}, "
                "expected no Conflict",
            )
        except Exception as error:  # named with its line in the report
            raised.append(error)

    with t.client(app) as client:
        response = client.get("/check-03-2")
    if raised:
        raise raised[0]
    t.json(response)  # the service could not even be built: say why


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
    from fastapi import FastAPI

    from app.errors import Conflict, NotFound
    from app.http_errors import add_error_handlers

    probe = FastAPI()
    add_error_handlers(probe)

    @probe.get("/missing")
    async def missing() -> None:
        raise NotFound("There is no such thing.")

    @probe.get("/taken")
    async def taken() -> None:
        raise Conflict("That name is taken.")

    with t.client(probe) as client:
        missing_response = client.get("/missing")
        taken_response = client.get("/taken")
    t.status(missing_response, 404, "a route that raises NotFound answers")
    t.status(taken_response, 409, "a route that raises Conflict answers")
    t.expect(
        answers.error_message(taken_response) == "That name is taken.",
        'the body is {"detail": <the error message>}',
        got=t.describe(taken_response),
    )


TEST_FILE = "tests/test_dependencies.py"
TEST_NAME = "test_the_items_route_passes_the_page_to_the_service"


def _attendee_test() -> Any:
    """The attendee's test function, loaded from the file as it is on disk."""
    import importlib.util
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path("tests").resolve()))  # for `from conftest import`
    spec = importlib.util.spec_from_file_location("attendee_tests", TEST_FILE)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"{TEST_FILE} cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    test = getattr(module, TEST_NAME, None)
    if test is None:
        raise LookupError(f"{TEST_FILE} has no function {TEST_NAME}: keep its name")
    return test


class _AnswersAnError:
    """Middleware: the route runs (and calls the service) as usual, then the
    client gets a 500 whatever the route answered."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def nowhere(message: Any) -> None:
            pass

        await self.app(scope, receive, nowhere)
        headers = [(b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": 500, "headers": headers})
        await send({"type": "http.response.body", "body": b"Internal Server Error"})


def _run_against(
    test: Any, t: Checker, page: Any = None, *, broken: bool = False
) -> tuple[str, bool]:
    """Run `test` on a fresh app; `page` replaces the route's Pagination, and a
    `broken` app answers 500 after the route has run.

    Returns (what went wrong, or "" when the test passed; whether the real item
    service ran). Storage is made to fail too, so a test that does not replace
    the service cannot pass by luck.
    """
    import app.dependencies as deps
    from app.services.items import ItemService

    touched: list[bool] = []
    real_page = ItemService.page

    async def watched_page(self: Any, **arguments: Any) -> Any:
        touched.append(True)
        return await real_page(self, **arguments)

    class NoStorage:
        def __getattr__(self, name: str) -> Any:
            raise RuntimeError("the route reached the item storage")

    app = t.app()
    app.dependency_overrides[deps.get_item_repository] = NoStorage
    current_user = getattr(deps, "get_current_user", None)
    if current_user is not None:  # lesson 04 and later: items need a signed-in user
        app.dependency_overrides[current_user] = _someone
    if page is not None:
        app.dependency_overrides[deps.get_pagination] = page
    if broken:
        app.add_middleware(_AnswersAnError)
    ItemService.page = watched_page  # type: ignore[method-assign]
    try:
        test(app)
    except BaseException as error:  # pytest.skip and assert both end up here
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        text = str(error).strip().splitlines()
        return f"{type(error).__name__}: {text[0] if text else ''}".strip(), bool(
            touched
        )
    finally:
        ItemService.page = real_page  # type: ignore[method-assign]
    return "", bool(touched)


def _someone() -> Any:
    """A signed-in user, as far as the items routes look at one."""
    from types import SimpleNamespace

    return SimpleNamespace(id=1, email="someone@example.com", role="user")


def _swapped(limit: int = 20, offset: int = 0) -> Any:
    from app.dependencies import Pagination

    return Pagination(limit=offset, offset=limit)


def _ignored() -> Any:
    from app.dependencies import DEFAULT_LIMIT, Pagination

    return Pagination(limit=DEFAULT_LIMIT, offset=0)


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
    test = _attendee_test()
    problem, touched = _run_against(test, t)
    t.expect(not problem, "your test passes against the real route", got=problem)
    t.expect(
        not touched,
        "the real item service never runs: the fake takes its place",
        got="the real ItemService.page ran",
    )
    problem, _ = _run_against(test, t, page=_swapped)
    t.expect(
        problem, "it fails against a route that swaps limit and offset", got="passed"
    )
    problem, _ = _run_against(test, t, page=_ignored)
    t.expect(
        problem,
        "it fails against a route that ignores ?limit= and ?offset= (ask for a "
        "page other than the default one)",
        got="passed",
    )
    problem, _ = _run_against(test, t, broken=True)
    t.expect(
        problem,
        "it fails against a route that answers 500 after calling the service "
        "(look at the status too)",
        got="passed",
    )
