"""Shared pieces of the API contract: strict request bodies and the page envelope."""

import typing
from types import UnionType
from typing import Annotated, Any, Generic, Literal, TypeVar, Union

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator

T = TypeVar("T")
JSON_TYPES = (str, int, float, bool, type(None), list, dict)


def has_json_type(annotation: Any) -> bool:
    """Whether JSON has this type itself (a string, an int, a list of ints, a
    model): not a datetime, UUID, enum or Decimal, sent as a string, nor a tuple,
    sent as an array."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return has_json_type(args[0])
    if origin in (Union, UnionType, list, dict):
        return all(map(has_json_type, args))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return origin is Literal or annotation in JSON_TYPES


class InputModel(BaseModel):
    """Base of every request body: an unknown field is an error, never ignored.

    `hide_input_in_errors` keeps what the client sent (a password, say) out of the
    text of a ValidationError, so out of logs and tracebacks. `strict` takes each
    JSON value only as the type the schema documents: `false` or `"590"` is not an
    integer. (Query and path parameters arrive as text, and are not bodies.)
    """

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, strict=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Lax where JSON has no such type. FastAPI validates the decoded body, in
        Python mode, where strict would refuse the string the schema documents
        for a datetime (or the array for a tuple). A field that sets its own
        strictness keeps it."""
        super().__pydantic_init_subclass__(**kwargs)
        fields = [
            field
            for field in cls.model_fields.values()
            if not has_json_type(field.annotation)
            and not any(isinstance(rule, Strict) for rule in field.metadata)
        ]
        for field in fields:
            field.metadata.append(Strict(False))
        if fields:
            cls.model_rebuild(force=True)

    @field_validator("*")
    @classmethod
    def refuse_nul(cls, value: object) -> object:
        """U+0000 is in no name, email or SKU, and PostgreSQL's text cannot hold it:
        refused here (422), not by the database (500)."""
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("may not contain the character U+0000")
        return value


class UpdateModel(InputModel):
    """Base of partial updates: a field left out keeps its value; null is refused.

    Without this, `{"full_name": null}` would be accepted and then silently
    ignored, and a client could believe it had cleared the field.
    """

    @field_validator("*", mode="before")
    @classmethod
    def refuse_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may not be null: leave the field out to keep its value")
        return value


class Page(BaseModel, Generic[T]):
    """One page of a list, and the total, so a client knows how far to page."""

    items: list[T]
    total: int = Field(ge=0, description="How many there are in all pages.")
    limit: int = Field(ge=1, description="The most items this page may hold.")
    offset: int = Field(ge=0, description="How many items come before this page.")
