"""Every time limit of the workshop's tools, in seconds, in one place.

A limit is there to stop what would never end, not to judge speed: on a laptop
busy with other work the same job can take ten times as long. `scaled` stretches
a limit by how slow this machine is right now, so no verdict (a check, a grade,
a test) depends on the machine's speed.
"""

from __future__ import annotations

import os
import time

# One exercise check, run in a fresh interpreter (`check()`, `workshop check`).
CHECK = 60
# All of one notebook's checks when grading (`workshop grade --timeout`).
GRADING_PER_NOTEBOOK = 30
# One notebook cell, in `workshop execute` and the nbval suite.
NOTEBOOK_CELL = 300

SCALE_VARIABLE = "WORKSHOP_TIME_SCALE"  # a floor for `slowness`, e.g. on slow CI
PROBE_SECONDS = 0.1
MOST = 20.0  # beyond this, the machine is not slow but stuck: limits stop growing


def slowness() -> float:
    """How many times longer than on an idle machine work takes now (1 or more).

    The larger of two readings: the wall time a short CPU-bound loop takes for
    each second of CPU it was given (what the scheduler shares out now), and the
    one-minute load per core (what the next minutes are likely to bring).
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    while time.perf_counter() - started < PROBE_SECONDS:
        pass
    wall = time.perf_counter() - started
    cpu = max(time.process_time() - cpu_started, 1e-6)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    load = os.getloadavg()[0] / max(cores, 1) if hasattr(os, "getloadavg") else 0.0
    floor = float(os.environ.get(SCALE_VARIABLE) or 1.0)
    return min(max(1.0, floor, wall / cpu, load), MOST)


def scaled(seconds: float) -> float:
    """`seconds` stretched by how slow the machine is now."""
    return seconds * slowness()
