"""What one grading job costs to start, four ways (not a test: run it by hand).

    .venv/bin/python benchmarks/sandbox_start.py [--runs 10]

- a fresh interpreter that imports what the checks need, in bubblewrap;
- the same without bubblewrap;
- a job forked from the warm zygote in bubblewrap (its own namespaces, its
  files written, the lesson-01 app imported, no check run);
- the same job from a zygote without bubblewrap.

Each is run one at a time, so the wall-clock time is the cost; the median is
printed, with the CPU time of the fresh interpreters.
"""

from __future__ import annotations

import argparse
import resource
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from workshop.authoring import fold
from workshop.grading import isolation, launch
from workshop.grading.isolation import Isolation
from workshop.grading.protocol import Job
from workshop.grading.runner import Runner
from workshop.project import find_root

WARM = "import workshop.grading.zygote as z; z.warm_up()"


def fresh(root: Path, found: Isolation, runs: int) -> tuple[float, float]:
    """Median wall seconds and mean CPU seconds of a fresh interpreter."""
    walls, before = [], resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(runs):
        start = time.perf_counter()
        launch.start(found.bwrap, root, [sys.executable, "-I", "-c", WARM]).wait()
        walls.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / runs
    return statistics.median(walls), cpu


def forked(root: Path, found: Isolation, runs: int) -> float:
    """Median wall seconds of a job forked from a warm zygote."""
    lesson = fold.lessons(root)[1]
    files = fold.managed_files(root, through=1, stubbed=lesson.exercises).texts()
    with tempfile.TemporaryDirectory() as scratch:
        runner = Runner(root, Path(scratch), found)
        runner.template(1, files)
        walls = []
        for number in range(runs + 1):  # the first one waits for the warm-up
            key = f"{number:03d}-01"
            job = Job(key, 1, (), {}, (), runner.box(key), 30, secrets.token_hex(8))
            start = time.perf_counter()
            runner.run(job)
            walls.append(time.perf_counter() - start)
        runner.close()
    return statistics.median(walls[1:])


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=10)
    args = options.parse_args()
    root = find_root()
    sandbox, fence = isolation.detect(root, "bwrap"), isolation.detect(root, "fence")
    for name, found in (("bubblewrap", sandbox), ("no sandbox", fence)):
        wall, cpu = fresh(root, found, args.runs)
        print(f"fresh interpreter, {name}: {wall:.3f} s ({cpu:.3f} s CPU)")
    for name, found in (("bubblewrap", sandbox), ("no sandbox", fence)):
        print(
            f"fork from the warm zygote, {name}: {forked(root, found, args.runs):.3f} s"
        )


if __name__ == "__main__":
    main()
