"""Sign-in sessions as stored: one row per login, ended by revoking it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, false, func
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base
from app.models.types import UTCDateTime


class AuthSession(Base):
    """One sign-in. Every refresh token it issues belongs to this family, and only
    the newest (`refresh_token_id`) may be exchanged. Deleting the user deletes it.

    (Named AuthSession so that it is never mistaken for a database session.)
    """

    __tablename__ = "sessions"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    refresh_token_id: Mapped[str] = mapped_column(String(36))
    revoked: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    # When its refresh token was last exchanged: sessions unused for months can go.
    last_used_at: Mapped[datetime] = mapped_column(
        UTCDateTime, server_default=func.now()
    )
