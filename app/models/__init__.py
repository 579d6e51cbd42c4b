"""The tables, as ORM models. Importing this package registers every one of them
on Base.metadata, which is what Alembic compares the migrations with."""

from app.models.attempts import Attempt
from app.models.items import Item
from app.models.sessions import AuthSession
from app.models.users import Role, User

__all__ = ["Attempt", "AuthSession", "Item", "Role", "User"]
