"""Checks for 02 · Schemas.

The checks call the models and the function through `t.call` (judged outside
the sandbox when grading, workshop.grading.judge) with fixed data: validation is
a function of its input, and every boundary is named below.

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
- On accounts drawn for the run, the function finds a problem exactly when the
  solution's does (workshop.exercises.differential): the solution runs where
  the check does, never in a grading sandbox.
"""

from __future__ import annotations

import random
from typing import Any

from workshop.checking import Called, Checker, exercise
from workshop.exercises.chance import draw
from workshop.exercises.differential import disagreement

ADA = {
    "email": "ada@example.com",
    "full_name": "Ada Lovelace",
    "password": "correct horse battery staple",
}
TEA = {"name": "Green tea", "price_cents": 650, "sku": "TEA-0001"}


USER_CREATE = "app.schemas.users:UserCreate"
ITEM_CREATE, ITEM_UPDATE = (
    "app.schemas.items:ItemCreate",
    "app.schemas.items:ItemUpdate",
)
PROBLEM = "app.schemas.users:password_problem"
DRAWN = 40  # accounts drawn for the differential step of 02.3


def _refused(
    t: Checker, model: str, data: dict[str, Any], error_type: str | None = None
) -> bool:
    """True when `model(**data)` raises a ValidationError (of `error_type`, if given)."""
    made = t.call(model, **data)
    return (
        made.raised
        and made.type == "ValidationError"
        and (error_type is None or error_type in made.errors)
    )


def _accepted(t: Checker, model: str, data: dict[str, Any]) -> bool:
    return not t.call(model, **data).raised


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
    t.expect(_accepted(t, USER_CREATE, ADA), "a valid UserCreate is still accepted")
    for model, data in [
        (USER_CREATE, ADA),
        ("app.schemas.users:UserUpdate", {}),
        (ITEM_CREATE, TEA),
        (ITEM_UPDATE, {}),
    ]:
        t.expect(
            _refused(t, model, {**data, "is_admin": True}, "extra_forbidden"),
            f'{model.split(":")[1]} refuses an unknown field ("is_admin") by name',
        )
    made = t.call(USER_CREATE, **{**ADA, "password": "s3cret-s3cret"})
    text = made.message if made.type == "ValidationError" else ""
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
    t.expect(_accepted(t, ITEM_CREATE, TEA), "a valid ItemCreate is accepted")
    t.expect(
        _accepted(t, ITEM_CREATE, {**TEA, "price_cents": 0, "name": "x" * 100}),
        "a free item with a 100-character name is accepted",
    )
    t.expect(
        _accepted(t, ITEM_CREATE, {**TEA, "name": "x"}),
        "a one-character name is accepted",
    )
    t.expect(
        _accepted(t, ITEM_CREATE, {**TEA, "price_cents": 100_000_000}),
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
        t.expect(
            _refused(t, ITEM_CREATE, {**TEA, **change}), f"ItemCreate refuses {what}"
        )
    for change, what in bad[::2]:
        t.expect(_refused(t, ITEM_UPDATE, change), f"ItemUpdate refuses {what}")


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
    steps=6,
)
def password_not_from_email(t: Checker) -> None:
    def problem(email: str, password: str) -> Called:
        return t.call(PROBLEM, email=email, password=password)

    def message(made: Called) -> bool:
        """A message came back: a text, not empty."""
        return not made.raised and type(made.returned) is str and made.returned != ""

    def none(made: Called) -> bool:
        return not made.raised and made.plain and made.returned is None

    def said(made: Called) -> str:
        if made.raised:
            return f"raised {made.type}: {made.message}"
        return repr(made.returned) if made.plain else f"a {made.type}"

    good = problem("ada@example.com", ADA["password"])
    t.expect(none(good), "a good password has no problem (None)", got=said(good))
    bad = problem("ada@example.com", "I am Ada Lovelace!")
    t.expect(
        message(bad),
        'ada@example.com may not use "I am Ada Lovelace!": a message is returned',
        got=said(bad),
    )
    mixed = problem("Grace@Example.com", "amazing grace 1906")
    t.expect(
        message(mixed),
        'Grace@Example.com may not use "amazing grace 1906", whatever the case of '
        "the email",
        got=said(mixed),
    )
    short = problem("ab@example.com", "absolutely fine, thanks")
    t.expect(
        none(short),
        "a name shorter than 3 characters is not held against the password",
        got=said(short),
    )
    t.expect(
        _refused(t, USER_CREATE, {**ADA, "password": "I am Ada Lovelace!"}),
        "UserCreate refuses such a password at sign-up",
    )
    differs = disagreement(
        t,
        PROBLEM,
        "02.3",
        _accounts(draw(), DRAWN),
        lambda solution, made: message(made) if solution else none(made),
    )
    t.expect(
        not differs,
        f"on {DRAWN} emails and passwords drawn for this run, a problem is found "
        "exactly when the solution finds one",
        got=differs,
    )


def _accounts(rng: random.Random, count: int) -> list[dict[str, str]]:
    """Emails whose names are 1 to 5 letters, and passwords that hold all, part or
    none of the name, in any case: both answers come up many times."""
    cases = []
    for _ in range(count):
        name = "".join(rng.choice("adaGRcex") for _ in range(rng.randint(1, 5)))
        email = f"{name}@{rng.choice(['example.com', 'Example.ORG'])}"
        piece = name[rng.randint(0, len(name) - 1) :] if rng.random() < 0.4 else name
        piece = "".join(rng.choice([c.lower(), c.upper()]) for c in piece)
        before, after = rng.choice(["", "my ", "x"]), rng.choice(["", " 1815!", "ge"])
        cases.append({"email": email, "password": before + piece + after})
    return cases
