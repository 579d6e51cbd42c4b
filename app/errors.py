"""Domain errors: what went wrong, in the service's words, with no HTTP in sight."""


class DomainError(Exception):
    """Base of the errors services raise; app/http_errors.py maps them to HTTP."""


class NotFound(DomainError):
    """The thing asked for does not exist (or the caller may not know it does)."""


class Conflict(DomainError):
    """The request clashes with what exists, such as an email already taken."""


class Unauthenticated(DomainError):
    """Missing, wrong, expired or revoked credentials: the caller must sign in."""


class PermissionDenied(DomainError):
    """The caller is known, and not allowed to do this."""
