"""Traces: a span for each request, one for each query under it, the caller's
W3C traceparent continued (but not obeyed: the service decides what it records),
and the trace id in the request's log lines."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from observed import json_lines, logging_configured, signed_in, span_recorder
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, Span, Tracer
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace import SpanKind, StatusCode

from app.config import Settings
from app.main import create_app
from app.observability.tracing import sampler, tracer_provider

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_ID = "00f067aa0ba902b7"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT_ID}-01"


def hex_id(number: int, digits: int) -> str:
    return format(number, f"0{digits}x")


def server_span(spans: tuple[ReadableSpan, ...], name: str) -> ReadableSpan:
    (span,) = [s for s in spans if s.kind is SpanKind.SERVER and s.name == name]
    return span


def test_a_request_span_holds_its_queries(settings: Settings) -> None:
    provider, exporter = span_recorder()
    with TestClient(create_app(settings, tracing=provider)) as client:
        headers = signed_in(client, "ada@example.com")
        exporter.clear()
        assert client.get("/api/v1/items/7", headers=headers).status_code == 404
    spans = exporter.get_finished_spans()
    request = server_span(spans, "GET /api/v1/items/{item_id}")
    queries = [s for s in spans if s.kind is SpanKind.CLIENT]
    assert queries, [s.name for s in spans]
    for query in queries:
        assert query.parent is not None
        assert query.parent.span_id == request.context.span_id
        assert query.context.trace_id == request.context.trace_id
        assert query.attributes and "db.statement" in query.attributes
    assert request.attributes and request.attributes["http.route"] == (
        "/api/v1/items/{item_id}"
    )


def test_a_failure_is_in_its_request_span(settings: Settings) -> None:
    provider, exporter = span_recorder()
    app = create_app(settings, tracing=provider)

    @app.get("/fails/{number}")
    async def fails(number: int) -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        exporter.clear()
        assert client.get("/fails/7").status_code == 500
    request = server_span(exporter.get_finished_spans(), "GET /fails/{number}")
    assert request.attributes and request.attributes["http.status_code"] == 500
    assert request.status.status_code is StatusCode.ERROR
    assert [event.name for event in request.events] == ["exception"]


def test_only_the_queries_of_a_traced_request_open_spans(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query of a request not traced would be read only to open a span that
    records nothing; one outside any request (start-up's) is a trace of its own."""
    provider, _ = span_recorder(ALWAYS_OFF)
    opened: list[str] = []
    get_tracer = provider.get_tracer

    def counting_tracer(*args: Any, **kwargs: Any) -> Tracer:
        tracer = get_tracer(*args, **kwargs)
        start_span = tracer.start_span

        def counted(name: str, *more: Any, **options: Any) -> Span:
            opened.append(name)
            return start_span(name, *more, **options)

        monkeypatch.setattr(tracer, "start_span", counted)
        return tracer

    monkeypatch.setattr(provider, "get_tracer", counting_tracer)
    with TestClient(create_app(settings, tracing=provider)) as client:
        assert len(opened) > 1  # the first administrator's queries, at start-up
        opened.clear()
        assert client.get("/api/v1/items/1").status_code == 401
        headers = signed_in(client, "ada@example.com")
        opened.clear()
        assert client.get("/api/v1/items", headers=headers).status_code == 200
    assert opened == ["GET"]


def test_the_callers_traceparent_is_continued_and_logged(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    provider, exporter = span_recorder()
    with logging_configured(settings):
        with TestClient(create_app(settings, tracing=provider)) as client:
            client.get("/api/v1/items/1", headers={"traceparent": TRACEPARENT})
        out = capsys.readouterr().out
    request = server_span(exporter.get_finished_spans(), "GET /api/v1/items/{item_id}")
    assert hex_id(request.context.trace_id, 32) == TRACE_ID
    assert request.parent is not None and hex_id(request.parent.span_id, 16) == (
        PARENT_ID
    )
    (access,) = [line for line in json_lines(out) if line["logger"] == "app.access"]
    assert access["trace_id"] == TRACE_ID
    assert access["span_id"] == hex_id(request.context.span_id, 16)


def test_probes_and_scrapes_are_not_traced(settings: Settings) -> None:
    provider, exporter = span_recorder()
    with TestClient(create_app(settings, tracing=provider)) as client:
        exporter.clear()  # the first admin's queries, made at start-up
        client.get("/health")
        client.get("/metrics")
    assert exporter.get_finished_spans() == ()


@pytest.mark.parametrize(
    ("ratio", "trace_id", "flags", "kept"),
    [
        (0.0, TRACE_ID, "01", 0),  # "sampled" does not switch tracing on
        (1.0, TRACE_ID, "00", 10),  # "not sampled" does not switch it off
        (1e-9, "0" * 31 + "1", "01", 0),  # an id that passes a trace-id ratio test
    ],
)
def test_the_caller_does_not_choose_what_is_traced(
    settings: Settings, ratio: float, trace_id: str, flags: str, kept: int
) -> None:
    chosen = settings.model_copy(update={"tracing_sample_ratio": ratio})
    provider, exporter = span_recorder(sampler(chosen))
    with TestClient(create_app(settings, tracing=provider)) as client:
        exporter.clear()
        for _ in range(10):
            traceparent = f"00-{trace_id}-{PARENT_ID}-{flags}"
            client.get("/api/v1/items/1", headers={"traceparent": traceparent})
    spans = exporter.get_finished_spans()
    assert len([span for span in spans if span.kind is SpanKind.SERVER]) == kept
    assert all(hex_id(span.context.trace_id, 32) == trace_id for span in spans)


def test_production_traces_a_tenth_unless_told_otherwise(settings: Settings) -> None:
    production = settings.model_copy(update={"environment": "production"})
    described = sampler(production)
    assert described is not None and "OwnDraw{0.1}" in described.get_description()
    ratio_set = production.model_copy(update={"tracing_sample_ratio": 0.25})
    described = sampler(ratio_set)
    assert described is not None and "OwnDraw{0.25}" in described.get_description()


def test_otel_variables_win_over_the_settings(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "always_off")
    monkeypatch.setenv("OTEL_SERVICE_NAME", "from-the-environment")
    provider = tracer_provider(
        settings.model_copy(update={"tracing_exporter": "console"})
    )
    assert provider is not None
    assert provider.sampler is ALWAYS_OFF
    assert provider.resource.attributes["service.name"] == "from-the-environment"
    provider.shutdown()


def test_the_exporter_comes_from_settings(settings: Settings) -> None:
    assert tracer_provider(settings) is None  # "none", the default
    console = tracer_provider(
        settings.model_copy(update={"tracing_exporter": "console"})
    )
    otlp = tracer_provider(
        settings.model_copy(
            update={
                "tracing_exporter": "otlp",
                "otlp_endpoint": "http://127.0.0.1:1/v1/traces",
            }
        )
    )
    assert console is not None and otlp is not None
    processors = [
        type(processor)
        for provider in (console, otlp)
        for processor in provider._active_span_processor._span_processors
    ]
    assert processors == [SimpleSpanProcessor, BatchSpanProcessor]
    console.shutdown()
    otlp.shutdown()


def test_otlp_without_an_endpoint_is_refused() -> None:
    with pytest.raises(ValueError, match="APP_OTLP_ENDPOINT"):
        Settings(_env_file=None, tracing_exporter="otlp")


def test_fastapi_never_looks_for_a_global_provider(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FastAPI's own OpenTelemetry is off: no request looks for a global one."""
    asked: list[str] = []
    lookup = trace.get_tracer_provider
    monkeypatch.setattr(
        trace, "get_tracer_provider", lambda: asked.append("") or lookup()
    )
    provider, _ = span_recorder()
    with TestClient(create_app(settings, tracing=provider)) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/api/v1/items").status_code == 401
    assert asked == []
