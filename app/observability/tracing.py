"""OpenTelemetry traces: a span for each request and, under it, one for each query.

The exporter is chosen by settings: none (no tracing), console (spans printed on
standard output) or otlp (sent to a collector over HTTP), and so is the share of
requests traced. The request span continues the trace of an incoming W3C
`traceparent` header, but whether it is recorded is decided here. Tests pass a
TracerProvider of their own, with an in-memory exporter, to `create_app`.
"""

import os
import random
from collections.abc import Sequence

from fastapi import FastAPI
from opentelemetry.context import Context
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.resources import OTELResourceDetector, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)
from opentelemetry.sdk.trace.sampling import (
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
)
from opentelemetry.trace import Link, Span, SpanKind, TraceState, get_current_span
from opentelemetry.util.http import parse_excluded_urls
from opentelemetry.util.types import Attributes
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.observability.routes import UNMATCHED, route_template

# Probes and scrapes come every few seconds and say nothing about users.
NOT_TRACED = "/health,/metrics"
# The share of requests traced when settings do not say: all of them while you
# develop, one in ten in production (lesson 10 says why).
PRODUCTION_RATIO, OTHER_RATIO = 0.1, 1.0


class OwnDraw(Sampler):
    """Keeps `ratio` of the traces it is asked about, by a draw of its own. The
    SDK's TraceIdRatioBased reads the trace id, which a caller's traceparent
    chooses; and the caller's sampled flag is not ours to obey either."""

    def __init__(self, ratio: float) -> None:
        self.ratio = ratio

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        if random.random() < self.ratio:
            state = get_current_span(parent_context).get_span_context().trace_state
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, state)
        return SamplingResult(Decision.DROP)

    def get_description(self) -> str:
        return f"OwnDraw{{{self.ratio}}}"


def sampler(settings: Settings) -> Sampler | None:
    """A request is traced at the settings' ratio, whatever its traceparent says;
    a span inside the app follows its parent, so a trace is kept whole. None when
    OTEL_TRACES_SAMPLER is set: the SDK then builds the one it names."""
    if "OTEL_TRACES_SAMPLER" in os.environ:
        return None
    ratio = settings.tracing_sample_ratio
    if ratio is None:
        production = settings.environment == "production"
        ratio = PRODUCTION_RATIO if production else OTHER_RATIO
    own = OwnDraw(ratio)
    return ParentBased(own, remote_parent_sampled=own, remote_parent_not_sampled=own)


def tracer_provider(settings: Settings) -> TracerProvider | None:
    """The provider the settings ask for; None when tracing is off."""
    if settings.tracing_exporter == "none":
        return None
    # OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the settings.
    ours = {"service.name": settings.name, "service.version": settings.version}
    resource = Resource.create({**ours, **OTELResourceDetector().detect().attributes})
    provider = TracerProvider(resource=resource, sampler=sampler(settings))
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
    """A server span for every request, around all of the app's middleware and
    its error handlers, so that a 500 is in the span too."""
    app.add_middleware(SpanOfTheRoute)  # the first inside the 500 handler
    build = app.build_middleware_stack

    def traced() -> ASGIApp:
        untraced = build()
        spans = OpenTelemetryMiddleware(
            untraced,
            excluded_urls=parse_excluded_urls(NOT_TRACED),
            default_span_details=by_method,
            tracer_provider=provider,
            exclude_spans=["receive", "send"],
        )
        # Its exclusion (kept for a root path) builds the URL and searches it,
        # every request: probes and scrapes go round it.
        probes = frozenset(NOT_TRACED.split(","))

        async def around_probes(scope: Scope, receive: Receive, send: Send) -> None:
            chosen = untraced if scope.get("path") in probes else spans
            await chosen(scope, receive, send)

        return around_probes

    app.build_middleware_stack = traced  # type: ignore[method-assign]


def by_method(scope: Scope) -> tuple[str, dict[str, str]]:
    """A span's first name. FastAPIInstrumentor's matches the path against every
    route here, for each request, traced or not; the router matches it anyway,
    and SpanOfTheRoute renames the spans that are recorded."""
    return str(scope.get("method", "HTTP")), {}


class SpanOfTheRoute:
    """Names a recorded request span after its route, `GET /api/v1/items/{item_id}`
    (OpenTelemetry's HTTP conventions), once the router has found it, and records
    an unhandled exception in it before the 500 handler answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        span = get_current_span()
        if scope["type"] != "http" or not span.is_recording():
            await self.app(scope, receive, send)
            return

        async def send_and_name(message: Message) -> None:
            if message["type"] == "http.response.start":
                name_span(span, scope)
            await send(message)

        try:
            await self.app(scope, receive, send_and_name)
        except Exception as error:
            name_span(span, scope)
            span.record_exception(error)
            raise


def name_span(span: Span, scope: Scope) -> None:
    """Names a recorded span after the request's route, once one matched."""
    template = route_template(scope)
    if template != UNMATCHED:
        span.update_name(f"{scope['method']} {template}")
        span.set_attribute("http.route", template)


def trace_queries(engine: AsyncEngine, provider: TracerProvider) -> None:
    """Spans for this engine's statements, made with `provider`. The
    instrumentor's `instrument()` patches SQLAlchemy for the whole process, once;
    an EngineTracer listens to one engine's events, and its listeners go with it."""
    tracer = provider.get_tracer("opentelemetry.instrumentation.sqlalchemy")
    usage = NoOpMeterProvider().get_meter(__name__).create_up_down_counter("unused")
    QueryTracer(tracer, engine.sync_engine, usage)


class QueryTracer(EngineTracer):
    """EngineTracer, minus the work for a query of a request that is not traced:
    it reads the URL and the SQL to open a span that records nothing."""

    def _before_cur_exec(  # type: ignore[no-untyped-def]
        self, conn, cursor, statement, params, context, executemany
    ):
        request = get_current_span()
        if request.get_span_context().is_valid and not request.is_recording():
            return statement, params
        return super()._before_cur_exec(
            conn, cursor, statement, params, context, executemany
        )
