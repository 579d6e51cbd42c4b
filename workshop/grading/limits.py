"""What one grading job may use: CPU time, memory, file size, processes.

Limits hold even when the grader's wall-clock timeout is late. The process
count is only limited inside bubblewrap: there each job has a user namespace
of its own, which the kernel counts apart; outside, the count would include
every process of the user who grades.
"""

from __future__ import annotations

import resource

FILE_SIZE = 16 * 2**20  # a runaway print loop stops here
MEMORY = 4 * 2**30  # address space per process
PROCESSES = 256  # threads included: a TestClient and its thread pool need ~50
OPEN_FILES = 1024


def apply(seconds: float, *, count_processes: bool) -> None:
    caps = {
        resource.RLIMIT_CPU: int(seconds) + 5,
        resource.RLIMIT_AS: MEMORY,
        resource.RLIMIT_FSIZE: FILE_SIZE,
        resource.RLIMIT_NOFILE: OPEN_FILES,
        resource.RLIMIT_CORE: 0,
    }
    if count_processes:
        caps[resource.RLIMIT_NPROC] = PROCESSES
    for kind, value in caps.items():
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):  # macOS has no RLIMIT_AS to lower
            if kind in {resource.RLIMIT_CPU, resource.RLIMIT_NPROC}:
                raise
