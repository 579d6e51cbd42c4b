"""Liveness: is the process up? Cheap, unversioned, and safe to call often."""

from fastapi import APIRouter, Request

router = APIRouter(tags=["health"])


@router.get("/health", summary="Is the service up?")
def health(request: Request) -> dict[str, str]:
    """Answer quickly without touching any dependency."""
    return {"status": "ok", "version": request.app.state.settings.version}
