"""Attempt counters as stored: one row per key, shared by every worker process."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.models.types import UTCDateTime


class Attempt(Base):
    """How many attempts one key made since `first`, and when the last one was.

    A key is what the throttle counts by: an email and an address, an address
    alone, or sign-ups from an address.
    """

    __tablename__ = "attempts"

    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    count: Mapped[int]
    first: Mapped[datetime] = mapped_column(UTCDateTime)
    last: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
