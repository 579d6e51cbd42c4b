"""What the checks of 03 · Dependencies observe where the app runs.

No `from __future__ import annotations` here: FastAPI must see the real types of
the probe routes' parameters, which are imported inside the functions.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from workshop import answers
from workshop.checking import app_settings, explain, observation
from workshop.exercises.observed import answer


@contextmanager
def probing(app: Any) -> Iterator[tuple[Any, answers.ServerErrors]]:
    """A TestClient for a probe app, lifespan running, 500s kept with their cause."""
    from fastapi.testclient import TestClient

    errors = answers.ServerErrors(app, explain)
    with TestClient(errors, raise_server_exceptions=False) as client:
        yield client, errors


@observation
def pages(queries: list[dict[str, int]]) -> list[dict[str, Any]]:
    """The answers of a probe route that returns the PaginationDep it is given,
    one per query string (`{"limit": 1}` is `?limit=1`)."""
    from fastapi import FastAPI

    from app.dependencies import PaginationDep

    probe = FastAPI()

    @probe.get("/page")
    async def page(page: PaginationDep) -> dict[str, int]:
        return {"limit": page.limit, "offset": page.offset}

    with probing(probe) as (client, errors):
        return [answer(client.get("/page", params=q), errors) for q in queries]


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
    None when it raises none. Any other exception goes on."""
    from app.errors import Conflict

    try:
        await call
    except Conflict as error:
        return str(error)
    return None


@observation
def email_conflicts(shift: int, first: str, second: str) -> dict[str, Any]:
    """What the app's user service does (built by the app's own dependencies,
    its users read back with ids shifted by `shift`): the ids of two users
    created with the emails `first` and `second`, and the message of the
    Conflict (or None) raised by creating `first` again ("again"), by giving the
    second user the first one's email ("taken") and by the first user keeping
    their own ("own")."""
    from app.dependencies import UserServiceDep
    from app.schemas.users import UserCreate, UserUpdate

    def user(email: str) -> UserCreate:
        return UserCreate(
            email=email, full_name="Check", password="a long enough password"
        )

    app = app_factory()
    seen: dict[str, Any] = {}
    raised: list[Exception] = []

    @app.get("/check-03-2")
    async def scenario(service: UserServiceDep) -> None:
        service.users = _LargeIds(service.users, shift)
        try:
            one = await service.create(user(first))
            two = await service.create(user(second))
            seen["ids"] = [one.id, two.id]
            seen["again"] = await _conflict(service.create(user(first)))
            seen["taken"] = await _conflict(
                service.update(user_id=two.id, data=UserUpdate(email=one.email))
            )
            seen["own"] = await _conflict(
                service.update(user_id=one.id, data=UserUpdate(email=one.email))
            )
        except Exception as error:  # named with its line in the report
            raised.append(error)

    with probing(app) as (client, errors):
        response = client.get("/check-03-2")
    if raised:
        raise raised[0]
    answers.json_of(response, errors)  # the service could not even be built: say why
    return seen


def app_factory() -> Any:
    """The attendee's app, built with explicit settings, as `t.app()` builds it."""
    from app.main import create_app

    return create_app(app_settings())


@observation
def domain_errors(missing: str, taken: str) -> dict[str, Any]:
    """The answers of a probe app with the app's error handlers to a route that
    raises NotFound(`missing`) and one that raises Conflict(`taken`)."""
    from fastapi import FastAPI

    from app.errors import Conflict, NotFound
    from app.http_errors import add_error_handlers

    probe = FastAPI()
    add_error_handlers(probe)

    @probe.get("/missing")
    async def missing_route() -> None:
        raise NotFound(missing)

    @probe.get("/taken")
    async def taken_route() -> None:
        raise Conflict(taken)

    with probing(probe) as (client, errors):
        return {
            "missing": answer(client.get("/missing"), errors),
            "taken": answer(client.get("/taken"), errors),
        }


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


ROUTES = {"real": None, "swapped": _swapped, "ignored": _ignored, "broken": None}


@observation
def attendee_test(route: str) -> dict[str, Any]:
    """What the attendee's test of the items route says about a fresh app whose
    route is `route`: "real", "swapped" (its Pagination has limit and offset
    swapped), "ignored" (the default page whatever is asked) or "broken" (a 500
    after the route has run). "problem" is what went wrong ("" when the test
    passed) and "touched" whether the real ItemService.page ran. Storage fails
    when reached, so a test that does not replace the service cannot pass by
    luck."""
    import app.dependencies as deps
    from app.services.items import ItemService

    if route not in ROUTES:
        raise ValueError(f"no such route: {route!r}")
    test = _attendee_test()
    touched: list[bool] = []
    real_page = ItemService.page

    async def watched_page(self: Any, **arguments: Any) -> Any:
        touched.append(True)
        return await real_page(self, **arguments)

    class NoStorage:
        def __getattr__(self, name: str) -> Any:
            raise RuntimeError("the route reached the item storage")

    app = app_factory()
    app.dependency_overrides[deps.get_item_repository] = NoStorage
    current_user = getattr(deps, "get_current_user", None)
    if current_user is not None:  # lesson 04 and later: items need a signed-in user
        app.dependency_overrides[current_user] = _someone
    page = ROUTES[route]
    if page is not None:
        app.dependency_overrides[deps.get_pagination] = page
    if route == "broken":
        app.add_middleware(_AnswersAnError)
    ItemService.page = watched_page  # type: ignore[method-assign]
    problem = ""
    try:
        test(app)
    except BaseException as error:  # pytest.skip and assert both end up here
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        text = str(error).strip().splitlines()
        problem = f"{type(error).__name__}: {text[0] if text else ''}".strip()
    finally:
        ItemService.page = real_page  # type: ignore[method-assign]
    return {"problem": problem, "touched": bool(touched)}
