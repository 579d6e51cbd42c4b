"""`make test`: every stage in order, then where the time went and what was left.

Each stage is one command; the first that fails stops the run. At the end the
runner prints each stage's time and the ten slowest tests, and fails if the run
left a process running or a new file in /tmp or the home folder
(workshop.authoring.leftovers). The tools the tests start (kernels, Jupyter,
matplotlib, Chromium) keep their state in the run's own folder, not in ~.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from workshop.authoring import leftovers
from workshop.project import find_root

SLOWEST = 10
# Two pytest workers: most tests wait on a process they started (a kernel, a
# server, a browser, a sandbox), so two share two cores well; each takes the next
# test when it is free, so the long ones do not queue behind each other.
WORKERS = ("-n", "2", "--dist", "worksteal")
COVERAGE = (
    "--cov=app",
    "--cov-report=term-missing:skip-covered",
    "--cov-fail-under=96",
)


@dataclass(frozen=True)
class Stage:
    name: str
    command: tuple[str, ...]


def stages(bin_dir: Path, scratch: Path) -> list[Stage]:
    """The stages of `make test`; pytest keeps its temporary files and its
    report of test times in `scratch`, which the runner removes."""
    tool = lambda name: str(bin_dir / name)  # noqa: E731
    return [
        Stage("lint", (tool("ruff"), "check", ".")),
        Stage("format", (tool("ruff"), "format", "--check", ".")),
        Stage("types", (tool("mypy"),)),
        Stage("verify", (tool("workshop"), "verify")),
        Stage(
            "pytest",
            (
                tool("pytest"),
                *WORKERS,
                *COVERAGE,
                f"--basetemp={scratch / 'pytest'}",
                f"--junitxml={scratch / 'times.xml'}",
            ),
        ),
        Stage("nbval", (tool("python"), "-m", "workshop.authoring.nbval_suite")),
    ]


# Where the tools the tests start keep their state, as the variables that move it.
STATE = (
    "IPYTHONDIR",  # a kernel's profile and history
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",  # kernels' connection files
    "MPLCONFIGDIR",  # matplotlib's font cache
    "XDG_CONFIG_HOME",  # Chromium's profile and crash reports
    "XDG_CACHE_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "PYTEST_DEBUG_TEMPROOT",  # pytest-of-USER, made by the pytest runs tests start
)


def tool_state(folder: Path) -> dict[str, str]:
    """The variables that give the run's tools a home of their own, removed with
    the run; the package installers keep the caches they already have."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    moved = {name: folder / name.lower() for name in STATE}
    for path in moved.values():  # a tool that finds none makes a temporary one
        path.mkdir(parents=True, exist_ok=True)
    kept = {
        "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR") or str(cache / "uv"),
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR") or str(cache / "pip"),
    }
    return {**{name: str(path) for name, path in moved.items()}, **kept}


def slowest(report: Path, count: int = SLOWEST) -> list[tuple[float, str]]:
    """The `count` slowest tests in a JUnit report: seconds, then the test."""
    if not report.is_file():
        return []
    cases = ElementTree.parse(report).getroot().iter("testcase")
    times = [
        (float(c.get("time", 0)), f"{c.get('classname', '')}::{c.get('name', '')}")
        for c in cases
    ]
    return sorted(times, reverse=True)[:count]


def summary(
    timings: list[tuple[str, float, int]], slow: list[tuple[float, str]]
) -> str:
    lines = ["", "Where the time went:"]
    for name, seconds, status in timings:
        mark = "" if status == 0 else f"  (failed, exit {status})"
        lines.append(f"  {name:<8} {seconds:8.1f} s{mark}")
    lines.append(f"  {'total':<8} {sum(t for _, t, _ in timings):8.1f} s")
    if slow:
        lines += ["", f"The {len(slow)} slowest tests:"]
        lines += [f"  {seconds:8.1f} s  {test}" for seconds, test in slow]
    return "\n".join(lines)


def main(root: Path) -> int:
    bin_dir = Path(sys.executable).parent
    scratch = Path(tempfile.mkdtemp(prefix="workshop-test-run-"))
    run = secrets.token_hex(8)
    snapshot = leftovers.take(root, run)
    env = {**os.environ, **tool_state(scratch / "state"), leftovers.MARK: run}
    timings: list[tuple[str, float, int]] = []
    status = 0
    try:
        for stage in stages(bin_dir, scratch):
            print(f"\n== {stage.name}: {' '.join(stage.command)}", flush=True)
            started = time.monotonic()
            status = subprocess.run(stage.command, cwd=root, env=env).returncode
            timings.append((stage.name, time.monotonic() - started, status))
            if status != 0:
                break
        print(summary(timings, slowest(scratch / "times.xml")), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    left = leftovers.problems(snapshot)
    if left:
        print(
            "\nThe run left these behind (a test does not stop or delete what it made):"
        )
        print("\n".join(f"  {line}" for line in left))
        return status or 1
    print("\nNothing was left behind: no process of the run, no new file in /tmp or ~.")
    return status


if __name__ == "__main__":
    sys.exit(main(find_root(Path.cwd())))
