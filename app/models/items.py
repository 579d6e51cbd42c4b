"""Items as stored: each has one owner and a SKU no other item has."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.models.types import UTCDateTime


class Item(Base):
    """An item of the catalogue. Deleting its owner deletes it (ON DELETE CASCADE)."""

    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_cents_not_negative"),
        # A user's page of items: WHERE owner_id = ? ORDER BY id, read in index order.
        Index("ix_items_owner_id_id", "owner_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(1000))
    price_cents: Mapped[int]
    sku: Mapped[str] = mapped_column(String(20), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
