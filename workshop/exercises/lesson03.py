"""Checks for 03 · Dependencies.

No `from __future__ import annotations` here: FastAPI must see the real types of
the probe routes' parameters, which are imported inside the checks.
"""

from typing import Any

from workshop.checking import Checker, exercise


@exercise(
    "03.1",
    "Pagination with bounds",
    hint="In app/dependencies.py, annotate limit as Annotated[int, Query(ge=1, "
    "le=MAX_LIMIT)] and offset as Annotated[int, Query(ge=0)], keeping their "
    "defaults.",
)
def pagination_bounds(t: Checker) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from app.dependencies import DEFAULT_LIMIT, MAX_LIMIT, PaginationDep

    probe = FastAPI()

    @probe.get("/page")
    async def page(page: PaginationDep) -> dict[str, int]:
        return {"limit": page.limit, "offset": page.offset}

    with TestClient(probe) as client:

        def answer(**params: Any) -> Any:
            response = client.get("/page", params=params)
            return response.json() if response.status_code == 200 else None

        def status(**params: Any) -> int:
            return client.get("/page", params=params).status_code

        t.expect(
            answer() == {"limit": DEFAULT_LIMIT, "offset": 0},
            f"without parameters the page is limit={DEFAULT_LIMIT}, offset=0",
        )
        t.expect(
            answer(limit=MAX_LIMIT, offset=40) == {"limit": MAX_LIMIT, "offset": 40},
            f"limit={MAX_LIMIT}&offset=40 is accepted as it is",
        )
        t.expect(status(limit=MAX_LIMIT + 1) == 422, f"limit={MAX_LIMIT + 1} is a 422")
        t.expect(status(limit=0) == 422, "limit=0 is a 422")
        t.expect(status(offset=-1) == 422, "offset=-1 is a 422")


async def _conflicts(call: Any) -> bool:
    """True when awaiting `call` (a service call) raises Conflict."""
    from app.errors import Conflict

    try:
        await call
    except Conflict:
        return True
    return False


@exercise(
    "03.2",
    "One account per email",
    hint="In UserService._ensure_email_is_free, look the email up with await "
    "self.users.get_by_email(email); if a user is found and its id is not owner_id, "
    "raise Conflict with a message.",
)
def one_account_per_email(t: Checker) -> None:
    from fastapi.testclient import TestClient

    from app.dependencies import UserServiceDep
    from app.schemas.users import UserCreate, UserUpdate

    def user(email: str) -> UserCreate:
        return UserCreate(
            email=email, full_name="Check", password="a long enough password"
        )

    # The service comes from the app's own dependencies, built however the
    # current lesson builds it (later lessons give it more collaborators).
    app = t.app()

    @app.get("/check-03-2")
    async def scenario(service: UserServiceDep) -> None:
        first = await service.create(user("first@example.com"))
        second = await service.create(user("second@example.com"))
        t.expect(first.id != second.id, "two users with different emails are created")
        t.expect(
            await _conflicts(service.create(user("first@example.com"))),
            "creating a second user with the same email raises Conflict",
        )
        t.expect(
            await _conflicts(
                service.update(user_id=second.id, data=UserUpdate(email=first.email))
            ),
            "changing a user's email to another user's email raises Conflict",
        )
        t.expect(
            not await _conflicts(
                service.update(user_id=first.id, data=UserUpdate(email=first.email))
            ),
            "a user may 'change' their email to the one they already have",
        )

    with TestClient(app) as client:
        client.get("/check-03-2").raise_for_status()


@exercise(
    "03.3",
    "Domain errors to HTTP",
    hint="In app/http_errors.py, fill STATUS_CODES: NotFound maps to "
    "status.HTTP_404_NOT_FOUND and Conflict to status.HTTP_409_CONFLICT.",
)
def domain_errors_to_http(t: Checker) -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

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

    with TestClient(probe, raise_server_exceptions=False) as client:
        missing_response = client.get("/missing")
        taken_response = client.get("/taken")
    t.expect(missing_response.status_code == 404, "NotFound becomes 404 Not Found")
    t.expect(taken_response.status_code == 409, "Conflict becomes 409 Conflict")
    t.expect(
        taken_response.json() == {"detail": "That name is taken."},
        'the body is {"detail": <the error message>}',
    )
