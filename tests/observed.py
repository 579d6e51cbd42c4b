"""Helpers for the observability tests: JSON log lines captured from standard
output, spans captured in memory, and an account to sign in with."""

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.sdk.trace.sampling import Sampler

from app.config import Settings
from app.observability.logging import SERVER_LOGGERS, configure_logging

PASSWORD = "correct horse battery staple"
TOUCHED = ("", "gunicorn.error", "gunicorn.access", *SERVER_LOGGERS)


@contextmanager
def logging_configured(settings: Settings) -> Iterator[None]:
    """configure_logging(settings) for the block; the loggers as they were after."""
    loggers = [logging.getLogger(name) for name in TOUCHED]
    saved = [(lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    configure_logging(settings)
    try:
        yield
    finally:
        for logger, (handlers, level, propagate) in zip(loggers, saved, strict=True):
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate
        structlog.reset_defaults()


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of `text` as a JSON object (a line that is not one fails)."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def span_recorder(
    sampler: Sampler | None = None,
) -> tuple[TracerProvider, InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=sampler)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def signed_in(client: TestClient, email: str) -> dict[str, str]:
    """Sign `email` up and in; the Authorization header to send."""
    user = {"email": email, "full_name": "Ada", "password": PASSWORD}
    assert client.post("/api/v1/users", json=user).status_code == 201
    token = client.post(
        "/api/v1/auth/token", data={"username": email, "password": PASSWORD}
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}
