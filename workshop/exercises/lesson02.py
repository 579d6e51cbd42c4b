"""Checks for 02 · Schemas."""

from __future__ import annotations

from typing import Any

from workshop.checking import Checker, exercise

ADA = {
    "email": "ada@example.com",
    "full_name": "Ada Lovelace",
    "password": "correct horse battery staple",
}
TEA = {"name": "Green tea", "price_cents": 650, "sku": "TEA-0001"}


def _refused(model: type, data: dict[str, Any], error_type: str | None = None) -> bool:
    """True when `model(**data)` raises a ValidationError (of `error_type`, if given)."""
    from pydantic import ValidationError

    try:
        model(**data)
    except ValidationError as error:
        return error_type is None or error_type in {e["type"] for e in error.errors()}
    return False


def _accepted(model: type, data: dict[str, Any]) -> bool:
    from pydantic import ValidationError

    try:
        model(**data)
    except ValidationError:
        return False
    return True


@exercise(
    "02.1",
    "Inputs refuse unknown fields",
    hint="In app/schemas/common.py, give InputModel a configuration that forbids "
    "extra fields: model_config = ConfigDict(extra='forbid').",
)
def inputs_refuse_unknown_fields(t: Checker) -> None:
    from app.schemas.items import ItemCreate, ItemUpdate
    from app.schemas.users import UserCreate, UserUpdate

    t.expect(_accepted(UserCreate, ADA), "a valid UserCreate is still accepted")
    for model, data in [
        (UserCreate, ADA),
        (UserUpdate, {}),
        (ItemCreate, TEA),
        (ItemUpdate, {}),
    ]:
        t.expect(
            _refused(model, {**data, "is_admin": True}, "extra_forbidden"),
            f'{model.__name__} refuses an unknown field ("is_admin") by name',
        )


@exercise(
    "02.2",
    "Constraints on items",
    hint="In app/schemas/items.py, wrap each type in Annotated[..., Field(...)]: "
    "min_length and max_length for the name, ge and le for the price, and "
    r"pattern=r'^[A-Z]{3}-\d{4}$' for the SKU.",
)
def item_constraints(t: Checker) -> None:
    from app.schemas.items import ItemCreate, ItemUpdate

    t.expect(_accepted(ItemCreate, TEA), "a valid ItemCreate is accepted")
    t.expect(
        _accepted(ItemCreate, {**TEA, "price_cents": 0, "name": "x" * 100}),
        "a free item with a 100-character name is accepted",
    )
    bad = [
        ({"name": ""}, "an empty name"),
        ({"name": "x" * 101}, "a name of 101 characters"),
        ({"price_cents": -1}, "a negative price"),
        ({"price_cents": 100_000_001}, "a price above 100_000_000 cents"),
        ({"sku": "tea-0001"}, 'the SKU "tea-0001" (lower case)'),
        ({"sku": "TEA-01"}, 'the SKU "TEA-01" (too few digits)'),
    ]
    for change, what in bad:
        t.expect(_refused(ItemCreate, {**TEA, **change}), f"ItemCreate refuses {what}")
    for change, what in bad[::2]:
        t.expect(_refused(ItemUpdate, change), f"ItemUpdate refuses {what}")


@exercise(
    "02.3",
    "A password must not contain the email's name",
    hint="In UserCreate's model validator, take the part of the email before the @; "
    "if it has 3 characters or more and appears in the lower-cased password, raise "
    "ValueError with a message.",
)
def password_not_from_email(t: Checker) -> None:
    from app.schemas.users import UserCreate

    t.expect(_accepted(UserCreate, ADA), "a good password is accepted")
    t.expect(
        _refused(UserCreate, {**ADA, "password": "I am Ada Lovelace!"}),
        'ada@example.com may not use "I am Ada Lovelace!" (any case)',
    )
    t.expect(
        _refused(
            UserCreate,
            {**ADA, "email": "Grace@Example.com", "password": "amazing grace 1906"},
        ),
        'Grace@Example.com may not use "amazing grace 1906"',
    )
    t.expect(
        _accepted(
            UserCreate,
            {**ADA, "email": "ab@example.com", "password": "absolutely fine, thanks"},
        ),
        "a name shorter than 3 characters is not held against the password",
    )
