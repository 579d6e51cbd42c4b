"""Domain errors: what went wrong, in the service's words, with no HTTP in sight."""


class DomainError(Exception):
    """Base of the errors services raise; app/http_errors.py maps them to HTTP."""


class NotFound(DomainError):
    """The thing asked for does not exist."""


class Conflict(DomainError):
    """The request clashes with what exists, such as an email already taken."""
