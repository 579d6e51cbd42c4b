"""Load from wrk, read back as numbers: what every `make bench` figure is made of.

wrk (Debian: apt-get install wrk) keeps a fixed number of connections busy for a
fixed time and reports requests/s and latency percentiles. It is written in C
and costs little CPU per request, so on a small machine it leaves most of the
cores to the server being measured.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    rate: float  # requests per second
    p99_ms: float


def why_no_wrk() -> str | None:
    """Why wrk cannot run here, or None when it can."""
    if shutil.which("wrk") is None:
        return "wrk is not installed: on Debian, apt-get install wrk"
    return None


def parse(output: str) -> Load:
    """requests/s and p99 from `wrk --latency`'s report; refuses a run that
    answered errors or timed out, since its figures would flatter the server."""
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"the load was answered with errors:\n{output}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    if rate is None or p99 is None:
        raise RuntimeError(f"wrk's report is not understood:\n{output}")
    return Load(float(rate[1]), float(p99[1]) * UNITS_MS[p99[2]])


def post_script(body: str, content_type: str) -> str:
    """A wrk Lua script that sends every request as this POST."""
    escaped = body.replace("\\", "\\\\").replace('"', '\\"')
    return (
        'wrk.method = "POST"\n'
        f'wrk.body = "{escaped}"\n'
        f'wrk.headers["Content-Type"] = "{content_type}"\n'
    )


def command(
    url: str,
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str] | None = None,
    script: Path | None = None,
    timeout_s: int = 10,
) -> list[str]:
    """The wrk command line: one thread (the server gets the other cores)."""
    line = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    line += [f"--timeout={timeout_s}s"]
    for name, value in (headers or {}).items():
        line += ["-H", f"{name}: {value}"]
    if script is not None:
        line += ["-s", str(script)]
    return [*line, url]


def run(url: str, **options: object) -> Load:
    """Load `url` now and wait for the result (options: see `command`)."""
    done = subprocess.run(
        command(url, **options),  # type: ignore[arg-type]
        check=True,
        capture_output=True,
        text=True,
    )
    return parse(done.stdout)


class Background:
    """A wrk run started now and read later, to load one route while another is
    measured."""

    def __init__(self, url: str, *, body: str, content_type: str, **options: object):
        self.folder = Path(tempfile.mkdtemp(prefix="wrk-"))
        script = self.folder / "post.lua"
        script.write_text(post_script(body, content_type))
        line = command(url, script=script, **options)  # type: ignore[arg-type]
        self.process = subprocess.Popen(line, stdout=subprocess.PIPE, text=True)

    def result(self) -> Load:
        output, _ = self.process.communicate()
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.process.returncode != 0:
            raise RuntimeError(f"wrk failed:\n{output}")
        return parse(output)
