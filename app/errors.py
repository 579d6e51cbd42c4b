"""Domain errors: what went wrong, in the service's words, with no HTTP in sight."""


class DomainError(Exception):
    """Base of the errors services raise; app/http_errors.py maps them to HTTP."""


class NotFound(DomainError):
    """The thing asked for does not exist (or the caller may not know it does)."""


class Conflict(DomainError):
    """The request clashes with what exists, such as an email already taken."""


class Invalid(DomainError):
    """The request breaks a rule about its values, such as a weak password."""


class Unauthenticated(DomainError):
    """Missing, wrong, expired or revoked credentials: the caller must sign in."""


class PermissionDenied(DomainError):
    """The caller is known, and not allowed to do this."""


class TooManyAttempts(DomainError):
    """Too many tries too fast: come back in `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class LastAdministrator(Conflict):
    """The change would leave the service with nobody to administer it."""


class Overloaded(DomainError):
    """Too much work waiting already: come back in `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
