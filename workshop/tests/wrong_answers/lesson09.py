"""Wrong answers for 09 · Deployment."""

WRONG = {
    "09.1": {
        "the timeout around the connection only, not the statement": """    from contextlib import AsyncExitStack

    try:
        async with AsyncExitStack() as stack:
            async with asyncio.timeout(settings.readiness_timeout):
                connection = await stack.enter_async_context(
                    request.app.state.engine.connect()
                )
            await connection.execute(text("SELECT 1"))
    except (OSError, TimeoutError, SQLAlchemyError) as error:
        logger.warning("readiness: the database cannot be reached: %r", error)
        return problem_response(
            request, 503, title=phrase(503), detail="The database cannot be reached.",
            headers={"Retry-After": "5"},
        )""",
        "a warning that does not say why": """    try:
        async with asyncio.timeout(settings.readiness_timeout):
            async with request.app.state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (OSError, TimeoutError, SQLAlchemyError):
        logger.warning("readiness check failed")
        return problem_response(
            request, 503, title=phrase(503), detail="The database cannot be reached.",
            headers={"Retry-After": "5"},
        )""",
        "the exception's text in a header, for debugging": """    try:
        async with asyncio.timeout(settings.readiness_timeout):
            async with request.app.state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (OSError, TimeoutError, SQLAlchemyError) as error:
        logger.warning("readiness: the database cannot be reached: %r", error)
        return problem_response(
            request, 503, title=phrase(503), detail="The database cannot be reached.",
            headers={"Retry-After": "5", "X-Readiness-Error": repr(error)[:200]},
        )""",
        "no timeout: a database that hangs holds the probe": """    try:
        async with request.app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (OSError, SQLAlchemyError):
        return problem_response(
            request, 503, title=phrase(503), detail="The database is down.",
            headers={"Retry-After": "5"},
        )""",
        "a timeout of its own, not the setting": """    try:
        async with asyncio.timeout(1):
            async with request.app.state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (OSError, TimeoutError, SQLAlchemyError):
        return problem_response(
            request, 503, title=phrase(503), detail="The database is down.",
            headers={"Retry-After": "5"},
        )""",
        "a plain JSON body, not a problem": """    try:
        async with asyncio.timeout(settings.readiness_timeout):
            async with request.app.state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (OSError, TimeoutError, SQLAlchemyError):
        return Response(
            '{"status": "down"}', status_code=503, media_type="application/json",
            headers={"Retry-After": "5"},
        )""",
        "the engine's existence taken for the database's": """    if getattr(request.app.state, "engine", None) is None:
        return problem_response(
            request, 503, title=phrase(503), detail="The database is down.",
            headers={"Retry-After": "5"},
        )""",
        "no Retry-After": """    try:
        async with asyncio.timeout(settings.readiness_timeout):
            async with request.app.state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (OSError, TimeoutError, SQLAlchemyError):
        return problem_response(
            request, 503, title=phrase(503), detail="The database is down."
        )""",
        "twice readiness_timeout, to be safe": """    try:
        async with asyncio.timeout(2 * settings.readiness_timeout):
            async with request.app.state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (OSError, TimeoutError, SQLAlchemyError) as error:
        logger.warning("readiness: the database cannot be reached: %r", error)
        return problem_response(
            request, 503, title=phrase(503), detail="The database cannot be reached.",
            headers={"Retry-After": "5"},
        )""",
        "the exception's text as the detail (host and port with it)": """    try:
        async with asyncio.timeout(settings.readiness_timeout):
            async with request.app.state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (OSError, TimeoutError, SQLAlchemyError) as error:
        logger.warning("readiness: the database cannot be reached: %r", error)
        return problem_response(
            request, 503, title=phrase(503), detail=f"Not ready: {error}",
            headers={"Retry-After": "5"},
        )""",
    },
    "09.2": {
        "APP_WORKERS read from os.environ, not from the settings": """    return int(os.environ.get("APP_WORKERS") or os.cpu_count() or 1)""",
        "never more workers than CPUs": """    cpus = os.cpu_count() or 1
    return min(settings.workers or cpus, cpus)""",
        "Gunicorn's formula for synchronous workers": """    return settings.workers or 2 * (os.cpu_count() or 1) + 1""",
        "the setting ignored": """    return os.cpu_count() or 1""",
        "the CPUs ignored": """    return settings.workers or 1""",
        "another variable read from the environment": """    return int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))""",
        "never fewer than 2 workers": """    return max(2, settings.workers or os.cpu_count() or 1)""",
        "a setting of 1 taken for no setting": """    if settings.workers and settings.workers > 1:
        return settings.workers
    return os.cpu_count() or 1""",
    },
    "09.3": {
        "useradd --gid 10001 with no group 10001: the image does not build": """RUN useradd --system --uid 10001 --gid 10001 --no-create-home app
USER 10001:10001
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]""",
        "requests without raise_for_status: a 500 is healthy": """RUN groupadd --system --gid 10001 app \\
    && useradd --system --uid 10001 --gid app --no-create-home app
USER 10001:10001
HEALTHCHECK CMD ["python", "-c", "import requests; requests.get('http://127.0.0.1:8000/health', timeout=2)"]""",
        "a user created and never used": """RUN groupadd --system --gid 10001 app \\
    && useradd --system --uid 10001 --gid app --no-create-home app
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]""",
        "the user by name": """RUN groupadd --system --gid 10001 app \\
    && useradd --system --uid 10001 --gid app --no-create-home app
USER app
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]""",
        "the readiness endpoint as the health check": """RUN groupadd --system --gid 10001 app \\
    && useradd --system --uid 10001 --gid app --no-create-home app
USER 10001:10001
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/ready', timeout=2)"]""",
        "curl, which a slim image does not have": """RUN groupadd --system --gid 10001 app \\
    && useradd --system --uid 10001 --gid app --no-create-home app
USER 10001:10001
HEALTHCHECK CMD ["curl", "-f", "http://127.0.0.1:8000/health"]""",
        "back to root at the end": """RUN groupadd --system --gid 10001 app \\
    && useradd --system --uid 10001 --gid app --no-create-home app
USER 10001:10001
HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)"]
USER 0""",
        "a health check that can never fail (|| true)": """RUN groupadd --system --gid 10001 app \\
    && useradd --system --uid 10001 --gid app --no-create-home app
USER 10001:10001
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)" || true""",
        "a package the image does not have (httpx)": """RUN groupadd --system --gid 10001 app \\
    && useradd --system --uid 10001 --gid app --no-create-home app
USER 10001:10001
HEALTHCHECK CMD ["python", "-c", "import httpx; httpx.get('http://127.0.0.1:8000/health').raise_for_status()"]""",
    },
}
