"""Probes: liveness (is the process up?) and readiness (can it serve requests?).

An orchestrator restarts a process whose liveness check fails, and stops sending
traffic to one whose readiness check fails. So /health touches nothing: a
database outage must not make every worker restart at once. /health/ready asks
the database, within a short timeout, and answers 503 while it cannot be reached.
"""

import asyncio
import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.http_errors import phrase
from app.problems import problem_response
from app.routers.responses import problem

router = APIRouter(tags=["health"])
logger = logging.getLogger(__name__)


@router.get("/health", summary="Is the process up?")
async def health(request: Request) -> dict[str, str]:
    """Answer at once, without touching any dependency (liveness).

    `async def`: a plain `def` route runs in the thread pool, a hop that costs
    more than the answer itself.
    """
    return {"status": "ok", "version": request.app.state.settings.version}


@router.get(
    "/health/ready",
    summary="Can the service take requests?",
    response_model=dict[str, str],
    responses=problem(503, "The database cannot be reached"),
)
async def ready(request: Request) -> dict[str, str] | Response:
    """Ask the database for `SELECT 1`, within `readiness_timeout` seconds
    (readiness): 200 when it answers, a 503 problem when it does not."""
    settings = request.app.state.settings
    try:
        async with asyncio.timeout(settings.readiness_timeout):
            async with request.app.state.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (OSError, TimeoutError, SQLAlchemyError) as error:
        logger.warning("readiness: the database cannot be reached: %r", error)
        return problem_response(
            request,
            503,
            title=phrase(503),
            detail="The database cannot be reached; try again shortly.",
            headers={"Retry-After": "5"},
        )
    return {"status": "ready", "version": settings.version}
