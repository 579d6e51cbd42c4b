"""/metrics: Prometheus's text format, requests labelled by route template, the
endpoint kept to a port of its own when settings say so, and the counts of every
Gunicorn worker added up."""

import json
import os
import threading
import time

import httpx2
import pytest
from deployment_files import gunicorn_config
from fastapi import FastAPI
from fastapi.testclient import TestClient
from fresh_databases import Databases
from gunicorn_server import gunicorn
from postgres_server import free_port
from prometheus_client.parser import text_string_to_metric_families

from app.config import Settings
from app.main import create_app

Samples = list[tuple[str, dict[str, str], float]]
PATIENCE = 120  # seconds: a limit for a stuck machine, never a measure


def samples(text: str) -> Samples:
    """Every sample of the exposition, as prometheus_client's parser reads it."""
    return [
        (sample.name, sample.labels, sample.value)
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    ]


def series(found: Samples, name: str) -> dict[tuple[str, str, str], float]:
    return {
        (labels["method"], labels["route"], labels["status"]): value
        for sample, labels, value in found
        if sample == name
    }


def test_requests_are_counted_by_route_template(client: TestClient) -> None:
    for path in ("/api/v1/items/1", "/api/v1/items/2", "/nowhere/1", "/nowhere/2"):
        client.get(path)
    client.get("/metrics")
    found = samples(client.get("/metrics").text)
    counted = series(found, "http_requests_total")
    assert counted == {
        ("GET", "/api/v1/items/{item_id}", "401"): 2,
        ("GET", "unmatched", "404"): 2,
    }
    timed = series(found, "http_request_duration_seconds_count")
    assert timed == counted
    assert ("http_requests_in_flight", {}, 0.0) in found


def test_a_failure_is_counted_as_a_500(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/fails")
    async def fails() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/fails").status_code == 500
        found = samples(client.get("/metrics").text)
    assert series(found, "http_requests_total") == {("GET", "/fails", "500"): 1}


def test_metrics_answer_only_on_their_port_when_one_is_set(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"metrics_port": 9100}))
    with TestClient(app, base_url="http://testserver:8000") as public:
        # The Host header is the client's to choose: only the socket counts.
        refused = public.get("/metrics", headers={"Host": "testserver:9100"})
        assert refused.status_code == 404
    with TestClient(app, base_url="http://testserver:9100") as private:
        answer = private.get("/metrics")
        assert private.head("/metrics").status_code == 200
        posted = private.post("/metrics")
    assert answer.status_code == 200 and samples(answer.text)
    assert answer.headers["content-type"].startswith("text/plain")
    assert posted.status_code == 405 and posted.headers["allow"] == "GET, HEAD"


def as_if_missing(response: httpx2.Response) -> tuple[object, ...]:
    """What tells one 404 from another, without what differs by path or request."""
    body = response.json() if response.content else {}
    headers = dict(response.headers)
    for varies in ("content-length", "x-request-id"):
        headers.pop(varies, None)
    for varies in ("instance", "request_id"):
        body.pop(varies, None)
    return response.status_code, headers, body


@pytest.mark.parametrize(
    "method", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "BREW"]
)
@pytest.mark.parametrize(
    "change",
    [{"metrics_port": 9100}, {"metrics_enabled": False}],
    ids=["another-port", "off"],
)
def test_a_hidden_metrics_route_answers_every_method_as_a_missing_path(
    settings: Settings, method: str, change: dict[str, object]
) -> None:
    """A 405 with an Allow header would tell a scanner the path exists."""
    app = create_app(settings.model_copy(update=change))
    with TestClient(app, base_url="http://testserver:8000") as public:
        hidden = public.request(method, "/metrics")
        missing = public.request(method, "/metricz")
    assert hidden.status_code == 404
    assert as_if_missing(hidden) == as_if_missing(missing)


def test_a_made_up_method_makes_no_new_series(client: TestClient) -> None:
    client.request("BREW", "/health")
    client.request("BREW", "/nowhere")
    client.get("/health")
    counted = series(samples(client.get("/metrics").text), "http_requests_total")
    assert counted == {
        ("GET", "/health", "200"): 1,
        ("other", "/health", "405"): 1,
        ("other", "unmatched", "404"): 1,
    }


def test_metrics_can_be_turned_off(settings: Settings) -> None:
    app: FastAPI = create_app(settings.model_copy(update={"metrics_enabled": False}))
    with TestClient(app) as client:
        assert client.get("/metrics").status_code == 404
    assert not hasattr(app.state, "metrics")


def test_reading_gunicorn_conf_leaves_prometheus_alone() -> None:
    """The multiprocess directory is set in on_starting, in Gunicorn's master,
    never by merely reading the configuration (a test or a tool may)."""
    before = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    config = gunicorn_config()
    assert os.environ.get("PROMETHEUS_MULTIPROC_DIR") == before
    assert config.logconfig_dict["root"]["handlers"] == ["stdout"]


def access_lines(log: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in log.splitlines()]  # all of them JSON
    return [line for line in lines if line["logger"] == "app.access"]


@pytest.mark.parametrize(
    "worker",
    ["uvicorn_worker.UvicornWorker", "uvicorn_worker.UvicornH11Worker"],
    ids=["httptools", "h11"],
)
def test_a_method_outside_the_usual_ones_is_labelled_other(
    databases: Databases, worker: str
) -> None:
    """Methods that both HTTP parsers let through to the app: each would be a new
    series if the label were the method itself."""
    if databases.backend != "sqlite":
        pytest.skip("one database is enough for this")
    with databases.database() as url:
        environment = {
            "APP_DATABASE_URL": url,
            "APP_WORKERS": "1",
            "GUNICORN_CMD_ARGS": f"--worker-class {worker}",
        }
        with gunicorn(environment) as served:
            sent = ["PROPFIND", "PURGE", "MKCOL", "LOCK", "DELETE"]
            for method in sent:
                httpx2.request(method, f"{served.url}/health")
            found = samples(httpx2.get(f"{served.url}/metrics").text)
    methods = {key[0] for key in series(found, "http_requests_total")}
    assert methods == {"GET", "DELETE", "other"}
    assert series(found, "http_requests_total")[("other", "/health", "405")] == 4


def test_two_gunicorn_workers_count_together_on_the_metrics_port(
    databases: Databases,
) -> None:
    """Requests in batches until both workers served some; the master, on
    APP_METRICS_PORT, counts every request of both, and the public port has no
    /metrics."""
    if databases.backend != "sqlite":
        pytest.skip("one database is enough for this")
    port = free_port()
    with databases.database() as url:
        environment = {
            "APP_DATABASE_URL": url,
            "APP_WORKERS": "2",
            "APP_METRICS_PORT": str(port),
        }
        with gunicorn(environment) as served, httpx2.Client() as http:
            sent, workers = 0, set()
            deadline = time.monotonic() + PATIENCE  # the second may boot late
            while len(workers) < 2 and time.monotonic() < deadline:
                batch = [
                    threading.Thread(
                        target=httpx2.get, args=(f"{served.url}/api/v1/items/{n}",)
                    )
                    for n in range(10)
                ]
                for thread in batch:
                    thread.start()
                for thread in batch:
                    thread.join()
                sent += len(batch)  # each on a connection of its own
                workers = {
                    line["pid"]
                    for line in access_lines(served.output())
                    if line["status"] == 401
                }
            # A request is counted just after its answer is sent: wait for the last.
            deadline, counted = time.monotonic() + PATIENCE, -1.0
            while counted != sent and time.monotonic() < deadline:
                text = http.get(f"http://127.0.0.1:{port}/metrics").text
                found = series(samples(text), "http_requests_total")
                counted = found.get(("GET", "/api/v1/items/{item_id}", "401"), 0)
            public = http.get(f"{served.url}/metrics")
    assert len(workers) == 2
    assert counted == sent
    assert public.status_code == 404
