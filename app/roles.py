"""The roles an account can have, in a module of their own: storage, schemas and the
settings' checks all use them, and none of those has to import another for it."""

from enum import StrEnum


class Role(StrEnum):
    """What an account may do; JSON and storage see the plain strings."""

    USER = "user"
    ADMIN = "admin"
