"""What this service is: name, version and environment, for humans and dashboards."""

from fastapi import APIRouter

from app.dependencies import SettingsDep

router = APIRouter(tags=["meta"])


@router.get("/info", summary="Describe this service")
async def read_info(settings: SettingsDep) -> dict[str, str]:
    """Name, version and environment, as configured."""
    return {
        "name": settings.name,
        "version": settings.version,
        "environment": settings.environment,
    }
