"""A throwaway PostgreSQL server: a new cluster in a temporary folder, listening on
127.0.0.1 only, deleted when it stops. For the tests and the benchmarks; nothing
here is needed to run the service."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

USER = "app"  # the cluster's superuser; trust authentication, no password
# For tests only: a crash may lose this cluster, which is deleted anyway.
NOT_DURABLE = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def find_binaries() -> Path | None:
    """The folder with initdb and pg_ctl: on PATH, else Debian's newest
    /usr/lib/postgresql/N/bin. None when PostgreSQL is not installed."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda pg_ctl: int(pg_ctl.parent.parent.name),
    )
    return debian[-1].parent if debian else None


def why_not_available(binaries: Path | None) -> str | None:
    """Why this machine cannot start a throwaway server, or None if it can."""
    if binaries is None:
        return (
            "PostgreSQL is not installed (no initdb/pg_ctl on PATH or in "
            "/usr/lib/postgresql/*/bin): on Debian, apt-get install postgresql"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no `postgres` user to run it as"
    return None


def require_binaries() -> Path:
    """The folder with initdb and pg_ctl, or the calling test skipped with the
    reason: the one check every test that starts a server makes first."""
    import pytest  # here: the benchmarks use this module without pytest

    binaries = find_binaries()
    if reason := why_not_available(binaries):
        pytest.skip(reason)
    assert binaries is not None
    return binaries


def scratch_folder(prefix: str) -> Path:
    """A new temporary folder, in memory when the system has one (/dev/shm).

    Every test creates and drops a database: on a busy disk that cost 150-230 ms
    per test here, against about 11 ms in memory (fsync is off either way).
    """
    shm = Path("/dev/shm")
    parent = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _no_control(action: str) -> None:
    raise RuntimeError(f"this server cannot {action}: it was not started here")


@dataclass(frozen=True)
class PostgresServer:
    port: int
    folder: Path
    control: Callable[[str], None] = field(default=_no_control, repr=False)

    def stop(self) -> None:
        """Stop the server as an outage would, its data kept: every connection
        that clients hold is closed under them."""
        self.control("stop")

    def start(self) -> None:
        """Start it again after stop(), on the same port."""
        self.control("start")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://{USER}@127.0.0.1:{self.port}/{database}"

    @property
    def dsn(self) -> str:
        """The same, for asyncpg itself."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"


@contextmanager
def temporary_postgres(
    binaries: Path, *, options: Mapping[str, str] = NOT_DURABLE
) -> Iterator[PostgresServer]:
    """Start a cluster, yield it, then stop it and delete its folder.

    PostgreSQL refuses to run as root: as root, the cluster belongs to the
    `postgres` user (Debian's package creates it) and runs as that user.
    """
    folder = scratch_folder("postgres-")
    as_owner: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_owner = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", free_port()
    settings = " ".join(f"-c {name}={value}" for name, value in options.items())
    server_options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 {settings}"

    def run(*command: str | Path) -> None:
        done = subprocess.run(
            [*as_owner, *map(str, command)], capture_output=True, text=True
        )
        if done.returncode != 0:
            log = (folder / "log").read_text() if (folder / "log").exists() else ""
            raise RuntimeError(
                f"{Path(command[0]).name} failed:\n{done.stdout}{done.stderr}{log}"
            )

    log = folder / "log"

    def control(action: str) -> None:
        if action == "start":
            run(
                binaries / "pg_ctl",
                "-D",
                data,
                "-o",
                server_options,
                "-l",
                log,
                "-w",
                "start",
            )
        else:
            run(binaries / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")

    try:
        run(binaries / "initdb", "-D", data, "-U", USER, "--auth=trust", "--no-sync")
        control("start")
        try:
            yield PostgresServer(port=port, folder=folder, control=control)
        finally:
            if (data / "postmaster.pid").exists():  # not stopped by the test
                run(binaries / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
