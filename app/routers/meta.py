"""What this service is: name, version and environment, for humans and dashboards."""

from fastapi import APIRouter, Request

router = APIRouter(tags=["meta"])


@router.get("/info", summary="Describe this service")
def read_info(request: Request) -> dict[str, str]:
    """Name, version and environment, as configured."""
    settings = request.app.state.settings
    return {
        "name": settings.name,
        "version": settings.version,
        "environment": settings.environment,
    }
