"""Gunicorn's settings for the service: `gunicorn -c gunicorn.conf.py app.main:app`.

Gunicorn is the process manager: it binds the socket, starts the workers, restarts
one that dies or stops answering, and stops them gracefully. Each worker runs
Uvicorn (the `uvicorn-worker` package; `uvicorn.workers` is deprecated) with the
app and its own event loop, engine and connection pool. Values that differ between
deployments come from the app's settings (APP_* variables), so there is one place
to look; the address to bind is given on the command line (`--bind`), and is
127.0.0.1:8000 without it.
"""

import os
import shutil
import tempfile
from pathlib import Path

from gunicorn.arbiter import Arbiter
from gunicorn.workers.base import Worker

from app.config import Settings
from app.config_check import UnsafeSettings, get_settings
from app.observability.logging import logging_config

worker_class = "uvicorn_worker.UvicornWorker"


def worker_count(settings: Settings) -> int:
    """APP_WORKERS when it is set; otherwise one worker per CPU, since each
    worker's event loop keeps one CPU busy on its own."""
    return settings.workers or os.cpu_count() or 1


def _settings_or_defaults() -> Settings:
    """The settings, or the defaults while they are not valid: on_starting then
    stops the master, saying what is wrong, before any worker starts."""
    try:
        return get_settings()
    except (ValueError, UnsafeSettings):
        return Settings.model_construct()


_settings = _settings_or_defaults()
workers = worker_count(_settings)
# After SIGTERM, a worker stops accepting connections and has this many seconds
# to finish the requests it holds; then it is killed.
graceful_timeout = _settings.graceful_timeout
# A worker that has not told the master it is alive for this long is restarted.
timeout = 30
# No recycling: a worker is not restarted after a number of requests. A restart
# drops the connections the worker accepted but had not read a request from yet,
# costs a boot, a cold pool and a drain during which the worker does not report
# in, and workers started together reach the count together. If a leak needs it,
# turn it on with a wide jitter, e.g. GUNICORN_CMD_ARGS="--max-requests 20000
# --max-requests-jitter 10000" (the variable overrides this file).
max_requests = 0
# Gunicorn 27 opens a control socket in ~/.gunicorn by default: nothing uses it.
control_socket_disable = True
# Uvicorn believes X-Forwarded-For and X-Forwarded-Proto from these peers only:
# the app's own trusted proxies (APP_TRUSTED_PROXIES), none by default. Gunicorn's
# default trusts 127.0.0.1, whatever the app's setting says.
forwarded_allow_ips = ",".join(str(network) for network in _settings.trusted_proxies)
# Idle keep-alive connections are closed after this many seconds. Behind a load
# balancer, make it longer than the balancer's idle timeout, so that the balancer
# closes an idle connection first, never the service under a request it sends.
keepalive = 5
# Every line, Gunicorn's and Uvicorn's included, is JSON on standard output
# (app/observability/logging.py). The app writes the access lines itself, with the
# route template and the request id: Gunicorn's and Uvicorn's are turned off.
logconfig_dict = logging_config(_settings)
accesslog = None
errorlog = "-"


def connections_needed(settings: Settings, workers: int) -> int:
    """Lesson 05's arithmetic: each worker has a pool of its own, of up to
    pool_size + max_overflow connections, all of which PostgreSQL must allow."""
    return workers * (settings.db_pool_size + settings.db_max_overflow)


def on_starting(server: Arbiter) -> None:
    """Validate the settings once, in the master, before any worker starts: a bad
    configuration stops Gunicorn with its message, instead of every worker failing
    to boot, again and again."""
    get_settings.cache_clear()  # read the environment as it is now
    try:
        settings = get_settings()
    except (ValueError, UnsafeSettings) as error:
        raise RuntimeError(str(error)) from None
    if settings.database_url.get_secret_value().startswith("postgresql"):
        server.log.info(
            "%d workers x (db_pool_size %d + db_max_overflow %d): up to %d "
            "PostgreSQL connections (its max_connections is 100 by default)",
            server.num_workers,
            settings.db_pool_size,
            settings.db_max_overflow,
            connections_needed(settings, server.num_workers),
        )
    if settings.metrics_enabled:
        prepare_metrics_directory()
        if settings.metrics_port is None and settings.environment == "production":
            server.log.warning(
                "APP_METRICS_PORT is not set: /metrics is served on the public port"
            )


def when_ready(server: Arbiter) -> None:
    """With APP_METRICS_PORT set, the master serves the workers' metrics, added
    up, on that port of the address Gunicorn listens on. No worker listens there,
    so the public port has no /metrics at all, and a scrape runs in a thread of
    the master, never on a worker's event loop."""
    settings = get_settings()
    if settings.metrics_enabled and settings.metrics_port is not None:
        from prometheus_client import CollectorRegistry, start_http_server
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        hosts = [address[0] for address in server.address if isinstance(address, tuple)]
        start_http_server(
            settings.metrics_port,
            addr=hosts[0] if hosts else "127.0.0.1",
            registry=registry,
        )
        server.log.info("Metrics on port %d", settings.metrics_port)


_made_here: Path | None = None  # the folder on_starting made, removed on exit


def prepare_metrics_directory() -> Path:
    """prometheus_client's multiprocess mode: each worker writes its metrics to
    files in PROMETHEUS_MULTIPROC_DIR, which /metrics adds up. The variable is set
    here, in the master, before any worker imports prometheus_client, and the
    files of a previous run are removed, or their counts would be added again."""
    global _made_here
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        _made_here = Path(tempfile.mkdtemp(prefix="app-metrics-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_made_here)
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    return directory


def child_exit(server: Arbiter, worker: Worker) -> None:
    """A worker that stopped is no longer serving: its in-flight gauge goes;
    its counters stay, since they counted requests that happened."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Arbiter) -> None:
    """The folder made for this run goes with it; one set by the operator stays."""
    if _made_here is not None:
        shutil.rmtree(_made_here, ignore_errors=True)
