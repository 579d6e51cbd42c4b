"""The database contract: one transaction per request, committed before the
response; conflicts that leave the transaction usable; cascades; settings."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Account, SignIn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from fresh_databases import Databases
from pydantic import ValidationError
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.config import PROJECT_ROOT, Settings
from app.database import Base, create_engine
from app.dependencies import SessionDep
from app.errors import Conflict
from app.main import create_app
from app.models import Item, User
from app.repositories.items import DatabaseItemRepository
from app.repositories.users import DatabaseUserRepository

ME, USERS, ITEMS = "/api/v1/users/me", "/api/v1/users", "/api/v1/items"
REFRESH = "/api/v1/auth/refresh"
GRACE = {
    "email": "grace@example.com",
    "full_name": "Grace Hopper",
    "password": "a compiler, not a password",
}


class CommitFails(AsyncSession):
    """A session whose commit fails, as one does when the database goes away."""

    async def commit(self) -> None:
        raise ConnectionResetError("the database went away during COMMIT")


@pytest.fixture
def unsafe_client(settings: Settings) -> Iterator[TestClient]:
    """A client that gets the 500 a real one would, not the server's exception."""
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


async def count(app: FastAPI, model: type[Base]) -> int:
    async with app.state.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


def count_rows(client: TestClient, model: type[Base]) -> int:
    """Rows in the app's database, read on the app's own event loop."""
    assert client.portal is not None
    return client.portal.call(count, client.app, model)


async def test_a_database_error_names_no_value_that_was_sent(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Its message ends in tracebacks and logs: an email or a hash stays out."""
    async with sessionmaker() as session:
        with pytest.raises(DBAPIError) as failed:
            await session.execute(
                text("SELECT :email FROM no_such_table"), {"email": "ada@example.com"}
            )
    assert "no_such_table" in str(failed.value)
    assert "ada@example.com" not in str(failed.value)


def test_a_failed_commit_is_an_error_response_not_a_201(
    unsafe_client: TestClient,
) -> None:
    """The commit runs before the response is sent (scope="function"): a client
    never reads 201 for a write that was not committed."""
    assert unsafe_client.post(USERS, json=GRACE).status_code == 201
    form = {"username": GRACE["email"], "password": GRACE["password"]}
    token = unsafe_client.post("/api/v1/auth/token", data=form).json()
    grace = {"Authorization": f"Bearer {token['access_token']}"}
    app: FastAPI = unsafe_client.app  # type: ignore[assignment]
    committing = app.state.sessionmaker
    app.state.sessionmaker = async_sessionmaker(
        committing.kw["bind"], class_=CommitFails, expire_on_commit=False
    )
    tea = {"name": "Green tea", "price_cents": 650, "sku": "TEA-0001"}
    response = unsafe_client.post(ITEMS, json=tea, headers=grace)
    app.state.sessionmaker = committing
    assert response.status_code == 500
    assert count_rows(unsafe_client, Item) == 0


def test_a_route_that_raises_leaves_nothing_behind(
    unsafe_client: TestClient,
) -> None:
    app: FastAPI = unsafe_client.app  # type: ignore[assignment]

    @app.post("/write-then-fail")
    async def write_then_fail(session: SessionDep) -> None:
        await DatabaseUserRepository(session).add(
            email=GRACE["email"], full_name="Grace", hashed_password="-"
        )
        raise RuntimeError("a bug after the write")

    assert unsafe_client.post("/write-then-fail").status_code == 500
    assert count_rows(unsafe_client, User) == 1  # the administrator only


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def test_only_a_request_that_writes_pays_for_a_transaction(
    unsafe_client: TestClient, databases: Databases, method: str
) -> None:
    """At READ COMMITTED a transaction gives a read nothing: PostgreSQL runs a
    GET's statements outside one (no BEGIN, no COMMIT). Writes keep theirs, and
    SQLite keeps every one (its BEGIN IMMEDIATE)."""
    app: FastAPI = unsafe_client.app  # type: ignore[assignment]
    seen: list[bool] = []

    @app.api_route("/in-a-transaction", methods=[method])
    async def in_a_transaction(session: SessionDep) -> None:
        await session.execute(select(1))
        connection = await (await session.connection()).get_raw_connection()
        driver = connection.driver_connection
        if hasattr(driver, "is_in_transaction"):  # asyncpg
            seen.append(driver.is_in_transaction())
        else:  # aiosqlite
            seen.append(driver.in_transaction)

    response = unsafe_client.request(method, "/in-a-transaction")
    assert response.status_code == 200, response.text
    postgresql = databases.backend == "postgresql"
    assert seen == [not (postgresql and method in ("GET", "HEAD"))]


async def test_a_conflict_leaves_the_transaction_usable(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """PostgreSQL refuses every statement after an error in a transaction; the
    savepoint around the write limits the damage to that write."""
    async with sessionmaker() as session:
        users = DatabaseUserRepository(session)
        await users.add(email="ada@example.com", full_name="Ada", hashed_password="-")
        with pytest.raises(Conflict, match="already registered"):
            await users.add(
                email="ada@example.com", full_name="Eve", hashed_password="-"
            )
        await users.add(email="bob@example.com", full_name="Bob", hashed_password="-")
        await session.commit()
    async with sessionmaker() as session:
        names = await session.scalars(select(User.full_name).order_by(User.id))
        assert list(names) == ["Ada", "Bob"]


async def test_only_a_duplicate_is_a_conflict(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A missing owner or a negative price is not "already in use": the error
    stays the IntegrityError it is, and only its savepoint is rolled back."""
    async with sessionmaker() as session:
        ada = await DatabaseUserRepository(session).add(
            email="ada@example.com", full_name="Ada", hashed_password="-"
        )
        items = DatabaseItemRepository(session)

        async def add(
            sku: str, *, owner_id: int = ada.id, price_cents: int = 1
        ) -> None:
            await items.add(
                name="Tea",
                description="",
                price_cents=price_cents,
                sku=sku,
                owner_id=owner_id,
            )

        with pytest.raises(IntegrityError):
            await add("NO-OWNER", owner_id=ada.id + 1)  # a foreign key
        with pytest.raises(IntegrityError):
            await add("NEGATIVE", price_cents=-1)  # a CHECK
        await add("TEA-0001")
        with pytest.raises(Conflict, match="TEA-0001 is already in use"):
            await add("TEA-0001")
        await session.commit()
    async with sessionmaker() as session:
        assert list(await session.scalars(select(Item.sku))) == ["TEA-0001"]


def test_deleting_a_user_deletes_their_items_and_ends_their_sessions(
    client: TestClient, admin: Account, ada: Account, sign_in: SignIn
) -> None:
    laptop = sign_in("ada@example.com")
    tea = {"name": "Green tea", "price_cents": 650, "sku": "TEA-0001"}
    assert client.post(ITEMS, json=tea, headers=ada.headers).status_code == 201
    url = f"{USERS}/{ada.id}"
    assert client.delete(url, headers=admin.headers).status_code == 204
    assert client.get(ITEMS, headers=admin.headers).json()["total"] == 0
    for device in (ada, laptop):
        assert client.get(ME, headers=device.headers).status_code == 401
        refresh = {"refresh_token": device.refresh_token}
        assert client.post(REFRESH, json=refresh).status_code == 401
    # The SKU is free again: the item is gone, not hidden.
    assert client.post(ITEMS, json=tea, headers=admin.headers).status_code == 201


def test_ids_of_deleted_users_are_never_given_again(
    client: TestClient, admin: Account, ada: Account, sign_up: object
) -> None:
    """SQLite reuses the id of the newest row once deleted, unless the table says
    AUTOINCREMENT: a token minted for the deleted user would then name the next."""
    assert client.delete(f"{USERS}/{ada.id}", headers=admin.headers).status_code == 204
    grace = client.post(USERS, json=GRACE).json()
    assert grace["id"] > ada.id
    assert client.get(ME, headers=ada.headers).status_code == 401


def test_the_admin_from_settings_is_created_once(
    settings: Settings, client: TestClient
) -> None:
    with TestClient(create_app(settings)) as second_start:
        assert count_rows(second_start, User) == 1


async def test_sqlite_connections_use_wal_and_foreign_keys(
    settings: Settings, session: AsyncSession
) -> None:
    if not settings.database_url.get_secret_value().startswith("sqlite"):
        pytest.skip("SQLite's own settings")
    assert await session.scalar(text("PRAGMA journal_mode")) == "wal"
    assert await session.scalar(text("PRAGMA foreign_keys")) == 1


async def test_sqlite_waits_for_its_write_lock_as_long_as_for_a_connection(
    settings: Settings,
) -> None:
    """Every SQLite transaction takes the write lock at BEGIN: a request waits for
    it up to db_pool_timeout, not sqlite3's 5 s, before "database is locked"."""
    if not settings.database_url.get_secret_value().startswith("sqlite"):
        pytest.skip("SQLite's own settings")
    engine = create_engine(settings.model_copy(update={"db_pool_timeout": 42.5}))
    try:
        async with engine.connect() as connection:
            assert await connection.scalar(text("PRAGMA busy_timeout")) == 42_500
    finally:
        await engine.dispose()


def test_the_pool_settings_apply_to_postgresql() -> None:
    settings = Settings(
        _env_file=None,
        database_url="postgresql+asyncpg://app:secret@db.example.com/app",
        db_pool_size=7,
        db_max_overflow=3,
        db_pool_timeout=4,
        db_pool_recycle=600,
    )
    pool = create_engine(settings).pool
    assert (pool.size(), pool._max_overflow, pool._timeout, pool._recycle) == (
        7,
        3,
        4,
        600,
    )


def test_the_default_database_is_in_var_whatever_the_current_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("APP_DATABASE_URL", raising=False)
    url = Settings(_env_file=None).database_url.get_secret_value()
    assert url == f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'app.db'}"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://app:s3cret-4d2f@localhost/app",
        "sqlite:///app.db",
        "mysql://x/y",
        "app:s3cret-4d2f@db.internal/app",  # no scheme at all
        "postgresql+asyncpg//app:s3cret-4d2f@db/app",  # a colon forgotten
        "app:s3cret-4d2f@db://app",  # something before :// that is no scheme
    ],
)
def test_a_url_without_an_async_driver_is_refused(url: str) -> None:
    with pytest.raises(ValidationError, match="use one of") as error:
        Settings(_env_file=None, database_url=url)
    message = str(error.value)  # a URL may hold a password: never echoed
    assert url not in message and "s3cret" not in message
