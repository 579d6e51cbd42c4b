"""Log lines as JSON, one object per line on standard output.

The service logs with the standard library (`logging.getLogger("app")`), and so do
Uvicorn, Gunicorn and SQLAlchemy; structlog's ProcessorFormatter renders every
record, whoever wrote it, through one chain of processors: the time, the level,
the logger, the request id and the trace ids are added, secrets are masked, and
the result is written as JSON (or as readable text, APP_LOG_FORMAT=console).

Logging belongs to the process, not to an app: the server configures it once
(gunicorn.conf.py), and `create_app` leaves it alone, so building many apps in
tests or in a notebook changes nothing.
"""

import logging
import logging.config
import os
import re
import sys
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, TextIO

import structlog
from opentelemetry import trace
from structlog.typing import EventDict, Processor, WrappedLogger

from app.config import Settings
from app.middleware.request_id import current_request_id

# A key whose name says it holds a secret has its value replaced, whatever it is,
# at any depth: one compiled rule, searched once per key.
SECRET_NAME = re.compile(
    r"passw(or)?d|secret|token|authorization|cookie|credential|(api|private)[-_]?key",
    re.IGNORECASE,
)
MASK = "[masked]"
PLAIN = frozenset({str, int, float, bool, type(None)})  # nothing inside to mask
# Loggers of the servers: their lines go to the root logger's handler.
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def add_request_id(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """The id of the request being served (app/middleware/request_id.py)."""
    request_id = current_request_id.get()
    if request_id is not None:
        event.setdefault("request_id", request_id)
    return event


def add_process_id(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """Which worker wrote the line: Gunicorn runs several, on one output."""
    event["pid"] = os.getpid()
    return event


def drop_colour(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """Uvicorn adds a copy of some messages with terminal colours: not for JSON."""
    event.pop("color_message", None)
    return event


def add_trace_ids(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """The trace and span ids of the current span, as W3C Trace Context writes
    them, so a log line leads to its trace; nothing outside a span."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event["trace_id"] = format(context.trace_id, "032x")
        event["span_id"] = format(context.span_id, "016x")
    return event


@lru_cache(maxsize=4096)
def secret_name(name: str) -> bool:
    """Whether a key names a secret; kept per name, since lines repeat a few keys."""
    return SECRET_NAME.search(name) is not None


def masked(value: Any) -> Any:
    """`value` with every entry named like a secret masked, in nested mappings,
    lists and (name, value) pairs such as an ASGI scope's headers."""
    if isinstance(value, list | tuple):
        name = value[0] if len(value) == 2 else None
        if isinstance(name, bytes):
            name = name.decode("latin-1")
        if isinstance(name, str) and secret_name(name):
            return (value[0], MASK)
        return [masked(item) for item in value]
    if isinstance(value, Mapping):
        return {
            key: MASK if secret_name(str(key)) else masked(item)
            for key, item in value.items()
        }
    return value


def mask_secrets(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """No password, token or key reaches a log line by its name, however deep."""
    for key, value in event.items():
        if secret_name(key):
            event[key] = MASK
        elif type(value) not in PLAIN:
            event[key] = masked(value)
    return event


def shared_processors() -> list[Processor]:
    """What every line gets, from structlog or from the standard library."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
        add_process_id,
        add_request_id,
        add_trace_ids,
        drop_colour,
        mask_secrets,
    ]


def formatter(log_format: str = "json") -> structlog.stdlib.ProcessorFormatter:
    """The formatter of every handler (named in logging_config's dictionary)."""
    renderer: Processor
    if log_format == "json":
        renderer = structlog.processors.JSONRenderer()
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=False)
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared_processors(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )


class StdoutHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stdout is when a line is logged (a test or a
    notebook may replace it after the handler was made)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property
    def stream(self) -> TextIO:
        return sys.stdout

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def logging_config(settings: Settings) -> dict[str, Any]:
    """The standard library's configuration (logging.config.dictConfig), also
    Gunicorn's `logconfig_dict`: one handler on standard output, for everyone."""
    own_handler = {"handlers": ["stdout"], "level": settings.log_level}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": f"{__name__}.formatter",
                "log_format": settings.log_format,
            }
        },
        "handlers": {
            "stdout": {"class": f"{__name__}.StdoutHandler", "formatter": "structured"}
        },
        "root": {"handlers": ["stdout"], "level": settings.log_level},
        # Gunicorn's Uvicorn workers give uvicorn.error gunicorn.error's handlers,
        # and uvicorn.access gunicorn.access's: none, since the app writes its own
        # access lines (app/observability/requests.py); Uvicorn's would carry
        # the raw path and its query string.
        "loggers": {
            "gunicorn.error": {**own_handler, "propagate": False},
            "gunicorn.access": {"handlers": [], "propagate": False},
            **{name: {"handlers": [], "propagate": True} for name in SERVER_LOGGERS},
        },
    }


def configure_logging(settings: Settings) -> None:
    """Send this process's log lines, and structlog's, through the formatter."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    logging.config.dictConfig(logging_config(settings))
