"""OpenTelemetry traces: a span for each request and, under it, one for each query.

The exporter is chosen by settings: none (no tracing), console (spans printed on
standard output) or otlp (sent to a collector over HTTP). The request span
continues the trace of an incoming W3C `traceparent` header. Tests pass a
TracerProvider of their own, with an in-memory exporter, to `create_app`.
"""

from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings

# Probes and scrapes come every few seconds and say nothing about users.
NOT_TRACED = "/health,/metrics"


def tracer_provider(settings: Settings) -> TracerProvider | None:
    """The provider the settings ask for; None when tracing is off."""
    if settings.tracing_exporter == "none":
        return None
    resource = Resource.create(
        {"service.name": settings.name, "service.version": settings.version}
    )
    provider = TracerProvider(resource=resource)
    if settings.tracing_exporter == "console":
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
            OTLPSpanExporter,
        )

        # In batches, from a thread of its own: a slow collector never holds
        # a request.
        provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.otlp_endpoint))
        )
    return provider


def trace_requests(app: FastAPI, provider: TracerProvider) -> None:
    """A server span for every request, around all of the app's middleware."""
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        excluded_urls=NOT_TRACED,
        exclude_spans=["receive", "send"],
    )


def trace_queries(engine: AsyncEngine, provider: TracerProvider) -> None:
    """Spans for this engine's statements, made with `provider`. The
    instrumentor's `instrument()` patches SQLAlchemy for the whole process, once;
    an EngineTracer listens to one engine's events, and its listeners go with it."""
    tracer = provider.get_tracer("opentelemetry.instrumentation.sqlalchemy")
    usage = NoOpMeterProvider().get_meter(__name__).create_up_down_counter("unused")
    EngineTracer(tracer, engine.sync_engine, usage)
