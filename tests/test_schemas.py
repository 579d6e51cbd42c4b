"""The API contract: strict inputs, shared constraints, and outputs without secrets."""

from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from app.schemas.items import ItemCreate, ItemUpdate
from app.schemas.users import UserCreate, UserRead, UsersPage, UserUpdate

ADA = {
    "email": "ada@example.com",
    "full_name": "Ada Lovelace",
    "password": "correct horse battery staple",
}
TEA = {"name": "Green tea", "price_cents": 650, "sku": "TEA-0001"}


def error_types(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {problem["type"] for problem in error.value.errors()}


@pytest.mark.parametrize(
    ("model", "data"),
    [(UserCreate, ADA), (UserUpdate, {}), (ItemCreate, TEA), (ItemUpdate, {})],
)
def test_inputs_refuse_unknown_fields(model: type, data: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as error:
        model(**data, is_admin=True)
    assert error_types(error) == {"extra_forbidden"}


def test_emails_are_validated_and_lower_cased() -> None:
    assert UserCreate(**{**ADA, "email": "Ada@Example.COM"}).email == "ada@example.com"
    assert UserUpdate(email="Ada@Example.COM").email == "ada@example.com"
    with pytest.raises(ValidationError):
        UserCreate(**{**ADA, "email": "ada@example"})


@pytest.mark.parametrize("password", ["fourteen chars", "x" * 129])
def test_password_length_is_bounded(password: str) -> None:
    with pytest.raises(ValidationError) as error:
        UserCreate(**{**ADA, "password": password})
    assert error_types(error) <= {"string_too_short", "string_too_long"}


def test_fifteen_characters_are_enough() -> None:
    assert UserCreate(**{**ADA, "password": "fifteen chars!!"}).password


def test_error_text_never_shows_the_input() -> None:
    with pytest.raises(ValidationError) as error:
        UserCreate(**{**ADA, "password": "hunter2-secret"})
    assert "hunter2-secret" not in str(error.value)


def test_password_must_not_contain_the_email_name() -> None:
    with pytest.raises(ValidationError, match="name in the email"):
        UserCreate(**{**ADA, "password": "my name is ADA lovelace"})


def test_password_stays_out_of_repr() -> None:
    assert ADA["password"] not in repr(UserCreate(**ADA))


@pytest.mark.parametrize(
    "change",
    [{"name": ""}, {"name": "x" * 101}, {"price_cents": -1}, {"sku": "tea-1"}],
)
def test_item_constraints_hold_on_create_and_update(change: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ItemCreate(**{**TEA, **change})
    with pytest.raises(ValidationError):
        ItemUpdate(**change)


def test_updates_may_leave_everything_out() -> None:
    assert UserUpdate().model_dump(exclude_unset=True) == {}
    assert ItemUpdate(price_cents=590).model_dump(exclude_unset=True) == {
        "price_cents": 590
    }


@pytest.mark.parametrize(
    ("model", "field"),
    [(UserUpdate, "full_name"), (UserUpdate, "password"), (ItemUpdate, "sku")],
)
def test_updates_refuse_null(model: type, field: str) -> None:
    with pytest.raises(ValidationError, match="may not be null"):
        model(**{field: None})


@dataclass
class StoredUser:
    id: int
    email: str
    full_name: str
    hashed_password: str
    role: str


def test_read_model_drops_the_hash_and_shows_the_role() -> None:
    stored = StoredUser(1, "ada@example.com", "Ada Lovelace", "secret-hash", "user")
    read = UserRead.model_validate(stored)
    assert read.model_dump() == {
        "id": 1,
        "email": "ada@example.com",
        "full_name": "Ada Lovelace",
        "role": "user",
    }
    page = UsersPage.model_validate(
        {"items": [stored], "total": 1, "limit": 20, "offset": 0},
        from_attributes=True,
    )
    assert "secret-hash" not in page.model_dump_json()
