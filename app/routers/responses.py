"""What routes document besides success: the type FastAPI expects, and the
entries several routers share."""

from typing import Any

# {status code: {"description": ..., "model": ...}}, as `responses=` takes it.
Responses = dict[int | str, dict[str, Any]]

SIGNED_IN: Responses = {401: {"description": "Not signed in, or the session ended"}}
ADMINS_ONLY: Responses = {**SIGNED_IN, 403: {"description": "Administrators only"}}
TOO_MANY: Responses = {
    429: {"description": "Too many attempts: wait for the Retry-After seconds"}
}
