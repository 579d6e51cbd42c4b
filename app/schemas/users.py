"""Users in the API: what a client may send, and what it gets back (never a password)."""

from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    model_validator,
)

from app.repositories.users import Role
from app.schemas.common import InputModel, Page

Email = Annotated[EmailStr, AfterValidator(str.lower)]
FullName = Annotated[str, Field(min_length=1, max_length=100)]
Password = Annotated[str, Field(min_length=12, max_length=128)]


class UserCreate(InputModel):
    """Sign-up data. The password is hashed by the service and never stored as sent."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "ada@example.com",
                    "full_name": "Ada Lovelace",
                    "password": "correct horse battery staple",
                }
            ]
        }
    )

    email: Email
    full_name: FullName
    password: Password = Field(repr=False)

    @model_validator(mode="after")
    def password_does_not_contain_the_email_name(self) -> Self:
        """A password built from the email is the first thing an attacker tries."""
        name = self.email.split("@")[0]
        if len(name) >= 3 and name in self.password.lower():
            raise ValueError("the password must not contain the name in the email")
        return self


class UserUpdate(InputModel):
    """A partial update: fields left out (or null) stay as they are."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"full_name": "Ada King"}]}
    )

    email: Email | None = None
    full_name: FullName | None = None
    password: Password | None = Field(default=None, repr=False)


class UserRead(BaseModel):
    """A user as clients see it: no password, no hash, whatever storage holds.

    The role is shown so a client knows what to offer (an admin menu, say); it is
    not a secret, and the service still checks it on every request.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: EmailStr
    full_name: str
    role: Role


class UsersPage(Page[UserRead]):
    """One page of users."""
