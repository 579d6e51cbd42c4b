"""Schema rules checked on every kind of value Hypothesis can think of, not on a
few examples: what a body accepts is exactly what the OpenAPI document says."""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from app.models import Role
from app.schemas.common import InputModel
from app.schemas.items import ItemCreate

# Any JSON value: what a client can put in a field.
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)


def accepted(price: Any) -> bool:
    item = {"name": "Green tea", "sku": "TEA-0001", "price_cents": price}
    try:
        ItemCreate.model_validate(item)
    except ValidationError:
        return False
    return True


@given(JSON)
@example(False)  # found once: tried first on every run from now on
def test_a_price_is_an_integer_in_range_and_nothing_else(price: Any) -> None:
    documented = type(price) is int and 0 <= price <= 100_000_000
    assert accepted(price) == documented


@given(st.integers(min_value=0, max_value=100_000_000))
def test_every_price_in_range_is_accepted(price: int) -> None:
    assert accepted(price)


class Booking(InputModel):
    """A body with types JSON has no literal for: each arrives as a string."""

    starts: datetime
    ref: UUID
    role: Role
    seats: int


bookings = FastAPI()


@bookings.post("/bookings")
async def book(booking: Booking) -> dict[str, Any]:
    return booking.model_dump(mode="json")


@given(st.datetimes(timezones=st.just(UTC)), st.uuids(), st.sampled_from(Role))
def test_a_body_takes_the_json_form_its_schema_documents(
    starts: datetime, ref: UUID, role: Role
) -> None:
    """Through FastAPI, which validates the decoded JSON in Python mode."""
    body = {"starts": starts.isoformat(), "ref": str(ref), "role": role, "seats": 2}
    answer = TestClient(bookings).post("/bookings", json=body)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["ref"], answer.json()["role"]) == (str(ref), role.value)
    refused = TestClient(bookings).post("/bookings", json={**body, "seats": "2"})
    assert refused.status_code == 422
