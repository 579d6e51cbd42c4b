"""What routes document besides success: one table of problem responses.

Every error is a `Problem` (app/problems.py), served as application/problem+json.
A route picks the statuses it can return with `problem(status)`, and may say what
one means for it: `problem(404, "No such user")`. The statuses every route can
return (413, 500) are documented once, for the whole API, by `EVERY_ROUTE`; those
every route with a body can return (400, 422), by app/openapi.py.
"""

from typing import Any

from app.problems import PROBLEM_JSON

# {status code: {"description": ..., "content": ..., "headers": ...}}, as
# `responses=` takes it.
Responses = dict[int | str, dict[str, Any]]

SCHEMA = {"$ref": "#/components/schemas/Problem"}

# The table: what each status means, and the headers that come with it.
PROBLEMS: dict[int, dict[str, Any]] = {
    400: {"description": "The body cannot be read: not UTF-8, or nested too deep"},
    401: {
        "description": "Not signed in, or the session ended",
        "headers": {"WWW-Authenticate": {"description": "Bearer: send a token"}},
    },
    403: {"description": "Signed in, and not allowed to do this"},
    404: {"description": "No such thing"},
    409: {"description": "Clashes with what exists"},
    413: {"description": "The request body is larger than the service accepts"},
    422: {"description": "Not valid: `errors` lists each value and where it is"},
    429: {
        "description": "Too many attempts",
        "headers": {"Retry-After": {"description": "Seconds to wait"}},
    },
    500: {"description": "A bug on our side: quote the request_id to report it"},
    503: {"description": "Not ready: a dependency, such as the database, is down"},
}


def problem(status: int, description: str = "") -> Responses:
    """The documented response for `status`, from the table, described for one
    route when `description` is given. A status not in the table is a KeyError."""
    entry = PROBLEMS[status]
    return {
        status: {
            **entry,
            "description": description or entry["description"],
            "content": {PROBLEM_JSON: {"schema": SCHEMA}},
        }
    }


SIGNED_IN = problem(401)
ADMINS_ONLY = {**SIGNED_IN, **problem(403, "Administrators only")}
TOO_MANY = problem(429, "Too many attempts: wait for the Retry-After seconds")
EVERY_ROUTE = {**problem(413), **problem(500)}
