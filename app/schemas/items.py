"""Items in the API: the rules for names, prices and SKUs live in the types."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import InputModel, Page, UpdateModel

ItemName = Annotated[str, Field(min_length=1, max_length=100)]
PriceCents = Annotated[
    int, Field(ge=0, le=100_000_000, description="The price in cents, 0 or more.")
]
Sku = Annotated[str, Field(pattern=r"^[A-Z]{3}-\d{4}$", description="e.g. TEA-0001")]
Description = Annotated[str, Field(max_length=1000)]


class ItemCreate(InputModel):
    """A new item for the catalogue; its SKU must be unique."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Green tea",
                    "description": "Sencha, 100 g",
                    "price_cents": 650,
                    "sku": "TEA-0001",
                }
            ]
        }
    )

    name: ItemName
    description: Description = ""
    price_cents: PriceCents
    sku: Sku


class ItemUpdate(UpdateModel):
    """A partial update: fields left out stay as they are."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"price_cents": 590}]})

    name: ItemName | None = None
    description: Description | None = None
    price_cents: PriceCents | None = None
    sku: Sku | None = None


class ItemRead(BaseModel):
    """An item as clients see it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    price_cents: int
    sku: str


class ItemsPage(Page[ItemRead]):
    """One page of items."""
