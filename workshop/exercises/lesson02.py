"""Checks for 02 · Schemas.

The checks call the models directly with fixed data: validation is a function of
its input, and every boundary is named below.

Properties, each with the cases that exercise it:

02.1 (inputs refuse unknown fields)
- Every input model (UserCreate, UserUpdate, ItemCreate, ItemUpdate) refuses a
  field it does not declare (is_admin), with the error type extra_forbidden, and
  a valid body is still accepted.
- A ValidationError's text never holds the value sent (a password).

02.2 (constraints on items)
- Each bound holds on both sides: a price of 0 and a name of 100 characters are
  accepted, -1 and 101 refused; a name of 1 character accepted, an empty one
  refused; 100,000,000 cents accepted, one more refused.
- A SKU is exactly three capital letters A-Z, a dash and four digits: lower
  case, a digit too few or too many, a letter too many, a letter outside A-Z
  and a trailing newline are refused.
- ItemUpdate keeps the same rules (every other case of the list above).

02.3 (a password must not contain the email's name)
- A good password has no problem; one that holds the email's local part is
  refused, whatever the case of either (Ada, Grace@Example.com), by the
  function and by UserCreate; a local part under 3 characters is not held
  against it.
"""

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
    hints=(
        "One line of configuration on InputModel: ConfigDict has an option for "
        "fields a model does not declare.",
        "Pydantic's option for undeclared fields is called extra. Its default "
        "ignores them and 'allow' keeps them; the third value refuses them. Keep "
        "hide_input_in_errors=True in the same ConfigDict.",
    ),
    steps=6,
)
def inputs_refuse_unknown_fields(t: Checker) -> None:
    from pydantic import ValidationError

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
    try:
        UserCreate(**{**ADA, "password": "s3cret-s3cret"})
        text = ""
    except ValidationError as error:
        text = str(error)
    t.expect(
        text and "s3cret-s3cret" not in text,
        "the text of a validation error still hides the input (hide_input_in_errors)",
        got="the password appears in the error text",
    )


@exercise(
    "02.2",
    "Constraints on items",
    hints=(
        "Each type becomes Annotated[<type>, Field(...)]; Field takes length "
        "bounds, numeric bounds (mind which ones include the limit) and a pattern.",
        "Lengths are min_length and max_length. For numbers, ge and le include the "
        "limit while gt and lt do not: both 0 and 100_000_000 cents are allowed. "
        "The pattern is a regular expression anchored at both ends (^ and $): "
        "three capital letters, a dash, exactly four digits.",
    ),
    steps=19,
)
def item_constraints(t: Checker) -> None:
    from app.schemas.items import ItemCreate, ItemUpdate

    t.expect(_accepted(ItemCreate, TEA), "a valid ItemCreate is accepted")
    t.expect(
        _accepted(ItemCreate, {**TEA, "price_cents": 0, "name": "x" * 100}),
        "a free item with a 100-character name is accepted",
    )
    t.expect(
        _accepted(ItemCreate, {**TEA, "name": "x"}),
        "a one-character name is accepted",
    )
    t.expect(
        _accepted(ItemCreate, {**TEA, "price_cents": 100_000_000}),
        "a price of exactly 100_000_000 cents is accepted",
    )
    bad = [
        ({"name": ""}, "an empty name"),
        ({"name": "x" * 101}, "a name of 101 characters"),
        ({"price_cents": -1}, "a negative price"),
        ({"price_cents": 100_000_001}, "a price above 100_000_000 cents"),
        ({"sku": "tea-0001"}, 'the SKU "tea-0001" (lower case)'),
        ({"sku": "TEA-01"}, 'the SKU "TEA-01" (too few digits)'),
        ({"sku": "TEA-00011"}, 'the SKU "TEA-00011" (a digit too many)'),
        ({"sku": "XTEA-0001"}, 'the SKU "XTEA-0001" (a letter too many)'),
        ({"sku": "TEA-0001\n"}, "a SKU followed by a newline"),
        ({"sku": "TÉA-0001"}, 'the SKU "TÉA-0001" (a letter outside A-Z)'),
    ]
    for change, what in bad:
        t.expect(_refused(ItemCreate, {**TEA, **change}), f"ItemCreate refuses {what}")
    for change, what in bad[::2]:
        t.expect(_refused(ItemUpdate, change), f"ItemUpdate refuses {what}")


@exercise(
    "02.3",
    "A password must not contain the email's name",
    hints=(
        "password_problem returns a message for a bad password and None for a "
        "good one. Compare the part of the email before the @ with the password, "
        "both in the same case.",
        "Cut the email at the @ (str.split or str.partition) and keep the first "
        "part. Lower-case it and the password; when the name has 3 characters or "
        "more and occurs inside the password (the `in` operator), return any "
        "message. Every other case reaches the `return None` already there.",
    ),
    steps=5,
)
def password_not_from_email(t: Checker) -> None:
    from app.schemas.users import UserCreate, password_problem

    def problem(email: str, password: str) -> object:
        try:
            return password_problem(email=email, password=password)
        except Exception as error:
            return error

    good = problem("ada@example.com", ADA["password"])
    t.expect(good is None, "a good password has no problem (None)", got=repr(good))
    bad = problem("ada@example.com", "I am Ada Lovelace!")
    t.expect(
        isinstance(bad, str) and bad,
        'ada@example.com may not use "I am Ada Lovelace!": a message is returned',
        got=repr(bad),
    )
    mixed = problem("Grace@Example.com", "amazing grace 1906")
    t.expect(
        isinstance(mixed, str) and mixed,
        'Grace@Example.com may not use "amazing grace 1906", whatever the case of '
        "the email",
        got=repr(mixed),
    )
    short = problem("ab@example.com", "absolutely fine, thanks")
    t.expect(
        short is None,
        "a name shorter than 3 characters is not held against the password",
        got=repr(short),
    )
    t.expect(
        _refused(UserCreate, {**ADA, "password": "I am Ada Lovelace!"}),
        "UserCreate refuses such a password at sign-up",
    )
