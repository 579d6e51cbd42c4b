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

from app.roles import Role
from app.schemas.common import InputModel, Page, UpdateModel

Email = Annotated[EmailStr, AfterValidator(str.lower)]
FullName = Annotated[str, Field(min_length=1, max_length=100)]
Password = Annotated[str, Field(min_length=15, max_length=128)]


def password_problem(*, email: str, password: str) -> str | None:
    """Why `password` is a poor choice for the account `email`, or None if it is not.

    A password built from the email is the first thing an attacker tries. The rule
    is a function, not only a validator, so that every place a password is set can
    apply it.
    """
    name = email.lower().split("@")[0]
    if len(name) >= 3 and name in password.lower():
        return "the password must not contain the name in the email"
    return None


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
        problem = password_problem(email=self.email, password=self.password)
        if problem:
            raise ValueError(problem)
        return self


class UserUpdate(UpdateModel):
    """A partial update: fields left out stay as they are."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"full_name": "Ada King"}]}
    )

    email: Email | None = None
    full_name: FullName | None = None
    password: Password | None = Field(default=None, repr=False)


class UserSelfUpdate(UserUpdate):
    """Your own account. A new email or password needs the current password: a
    stolen access token alone must not be enough to take the account over."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"full_name": "Ada King"},
                {
                    "password": "a brand new passphrase",
                    "current_password": "correct horse battery staple",
                },
            ]
        }
    )

    current_password: str | None = Field(default=None, max_length=128, repr=False)

    @property
    def changes_credentials(self) -> bool:
        return bool({"email", "password"} & self.model_fields_set)


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
