"""Users as stored: one row per account, with its role (app/roles.py)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.models.types import UTCDateTime
from app.roles import Role


class User(Base):
    """An account. The email is unique; the password is kept only as a hash."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('user', 'admin')", name="role"),
        # SQLite would otherwise reuse the id of the newest row once it is deleted,
        # and a token minted for the deleted user would then name the next one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    hashed_password: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(20), default=Role.USER)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
