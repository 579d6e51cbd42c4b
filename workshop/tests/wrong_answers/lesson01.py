"""Wrong answers for 01 · Project structure."""

WRONG = {
    "01.1": {
        "a hard-coded version": '    return {"status": "ok", "version": "0.1.0"}',
        "the environment's settings, not the app's": (
            "    from app.config import get_settings\n\n"
            '    return {"status": "ok", "version": get_settings().version}'
        ),
        "a fresh Settings() read from the environment": (
            "    from app.config import Settings\n\n"
            '    return {"status": "ok", "version": Settings().version}'
        ),
        "APP_VERSION read directly": (
            "    import os\n\n"
            '    return {"status": "ok", "version": os.environ.get("APP_VERSION", "")}'
        ),
        "the version under another key": (
            '    return {"status": "ok", "app_version": '
            "request.app.state.settings.version}"
        ),
        "the status dropped for the version": (
            '    return {"version": request.app.state.settings.version}'
        ),
    },
    "01.2": {
        "values from the environment": """

@router.get("/info", summary="Describe this service")
def read_info() -> dict[str, str]:
    from app.config import get_settings

    settings = get_settings()
    return {
        "name": settings.name,
        "version": settings.version,
        "environment": settings.environment,
    }
""",
        "no summary": """

@router.get("/info")
def read_info(request: Request) -> dict[str, str]:
    settings = request.app.state.settings
    return {
        "name": settings.name,
        "version": settings.version,
        "environment": settings.environment,
    }
""",
        "the prefix written twice": """

@router.get("/api/v1/info", summary="Describe this service")
def read_info(request: Request) -> dict[str, str]:
    settings = request.app.state.settings
    return {
        "name": settings.name,
        "version": settings.version,
        "environment": settings.environment,
    }
""",
        "every setting dumped": """

@router.get("/info", summary="Describe this service")
def read_info(request: Request) -> dict[str, str]:
    return request.app.state.settings.model_dump()
""",
        "an environment of its own": """

@router.get("/info", summary="Describe this service")
def read_info(request: Request) -> dict[str, str]:
    settings = request.app.state.settings
    return {"name": settings.name, "version": settings.version, "environment": "production"}
""",
        "the summary in other words": """

@router.get("/info", summary="Describe the service")
def read_info(request: Request) -> dict[str, str]:
    settings = request.app.state.settings
    return {
        "name": settings.name,
        "version": settings.version,
        "environment": settings.environment,
    }
""",
    },
    "01.3": {
        "the environment's settings, not the app's": "        title=get_settings().name,",
        "a fresh Settings() read from the environment": (
            "        title=Settings().name,"
        ),
        "APP_NAME read directly": (
            "        title=__import__('os').environ.get('APP_NAME', settings.name),"
        ),
        "the name of the first app built, kept for every other": (
            "        title=__import__('builtins').__dict__.setdefault("
            "'_first_title', settings.name),"
        ),
        "the version as the title": "        title=settings.version,",
        "the name with a suffix of its own": '        title=f"{settings.name} API",',
    },
}
