"""Wrong answers for 02 · Schemas."""

WRONG = {
    "02.1": {
        "unknown fields ignored, the default": (
            '    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True)'
        ),
        "unknown fields kept": (
            '    model_config = ConfigDict(extra="allow", hide_input_in_errors=True)'
        ),
        "strict types mistaken for strict fields": (
            "    model_config = ConfigDict(strict=True, hide_input_in_errors=True)"
        ),
        "inputs shown in error text again": '    model_config = ConfigDict(extra="forbid")',
        "frozen models taken for closed ones": (
            "    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)"
        ),
        "unknown fields refused only by a validator that checks is_admin": """    model_config = ConfigDict(extra="ignore", hide_input_in_errors=True)

    @__import__("pydantic").model_validator(mode="before")
    @classmethod
    def no_admin(cls, data: object) -> object:
        if isinstance(data, dict) and "is_admin" in data:
            raise ValueError("is_admin is not accepted")
        return data""",
    },
    "02.2": {
        "a name of 101 characters let through": """ItemName = Annotated[str, Field(min_length=1, max_length=101)]
PriceCents = Annotated[int, Field(ge=0, le=100_000_000)]
Sku = Annotated[str, Field(pattern=r"^[A-Z]{3}-\\d{4}$")]""",
        "free items refused (gt instead of ge)": """ItemName = Annotated[str, Field(min_length=1, max_length=100)]
PriceCents = Annotated[int, Field(gt=0, le=100_000_000)]
Sku = Annotated[str, Field(pattern=r"^[A-Z]{3}-\\d{4}$")]""",
        "the top price refused (lt instead of le)": """ItemName = Annotated[str, Field(min_length=1, max_length=100)]
PriceCents = Annotated[int, Field(ge=0, lt=100_000_000)]
Sku = Annotated[str, Field(pattern=r"^[A-Z]{3}-\\d{4}$")]""",
        "a SKU pattern without anchors": """ItemName = Annotated[str, Field(min_length=1, max_length=100)]
PriceCents = Annotated[int, Field(ge=0, le=100_000_000)]
Sku = Annotated[str, Field(pattern=r"[A-Z]{3}-\\d{4}")]""",
        "a one-letter name refused": """ItemName = Annotated[str, Field(min_length=2, max_length=100)]
PriceCents = Annotated[int, Field(ge=0, le=100_000_000)]
Sku = Annotated[str, Field(pattern=r"^[A-Z]{3}-\\d{4}$")]""",
        "a SKU pattern that lets a newline follow": """ItemName = Annotated[str, Field(min_length=1, max_length=100)]
PriceCents = Annotated[int, Field(ge=0, le=100_000_000)]
Sku = Annotated[str, Field(pattern=r"^[A-Z]{3}-\\d{4}\\n?$")]""",
        "Pydantic v1's regex=": """ItemName = Annotated[str, Field(min_length=1, max_length=100)]
PriceCents = Annotated[int, Field(ge=0, le=100_000_000)]
Sku = Annotated[str, Field(regex=r"^[A-Z]{3}-\\d{4}$")]""",
    },
    "02.3": {
        "case-sensitive": """    name = email.split("@")[0]
    if len(name) >= 3 and name in password:
        return "the password must not contain the name in the email\"""",
        "three-letter names let through": """    name = email.lower().split("@")[0]
    if len(name) > 3 and name in password.lower():
        return "the password must not contain the name in the email\"""",
        "the whole email compared": """    if email.lower() in password.lower():
        return "the password must not contain the email\"""",
        "raises instead of returning a message": """    name = email.lower().split("@")[0]
    if len(name) >= 3 and name in password.lower():
        raise ValueError("the password must not contain the name in the email")""",
        "the password's first word compared, not the whole of it": """    name = email.lower().split("@")[0]
    first = password.lower().split()[0] if password.split() else ""
    if len(name) >= 3 and name in first:
        return "the password must not contain the name in the email\"""",
        "the email's case kept": """    name = email.split("@")[0]
    if len(name) >= 3 and name in password.lower():
        return "the password must not contain the name in the email\"""",
        "only whole words of the password compared": """    name = email.lower().split("@")[0]
    if len(name) >= 3 and name in password.lower().split():
        return "the password must not contain the name in the email\"""",
    },
}
