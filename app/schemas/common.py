"""Shared pieces of the API contract: strict request bodies and the page envelope."""

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class InputModel(BaseModel):
    """Base of every request body: an unknown field is an error, never ignored."""

    model_config = ConfigDict(extra="forbid")


class Page(BaseModel, Generic[T]):
    """One page of a list, and the total, so a client knows how far to page."""

    items: list[T]
    total: int = Field(ge=0, description="How many there are in all pages.")
    limit: int = Field(ge=1, description="The most items this page may hold.")
    offset: int = Field(ge=0, description="How many items come before this page.")
