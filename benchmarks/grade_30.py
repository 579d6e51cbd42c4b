"""How long `workshop grade` takes for a class of 30 (not a test: run it by hand).

    .venv/bin/python benchmarks/grade_30.py [--jobs 2] [--attendees 30]
        [--isolation auto|bwrap|fence] [--whole-files] [--attacks]
        [--course 01-06] [--duplicates]

Each synthetic attendee hands in a folder with every lesson that has exercises,
some exercises solved and some left as stubs, as a real class would. The goal is
under 60 s for 30 attendees on 2 cores, with the sandbox on (bubblewrap);
`--isolation fence` measures the same without it, and `--whole-files` with
every exercise checked (by default an exercise still holding its stub is not).
`--course 01-06` grades those lessons only. The class is then graded a second
time, with the grades the first run kept (workshop.grading.cache), as a
`--diff` lookup would be. Each attendee's comments are their own, so no two
notebooks are the same; `--duplicates` lets attendees who did the same
exercises hand in the same notebooks, each graded once.
`--attacks` adds every hostile submission of the grading tests to the batch,
writes every report, checks that each honest row is right and each hostile one
failed or flagged, and samples the peak memory of the grader and of its jobs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import resource
import tempfile
import threading
import time
from pathlib import Path

from workshop.authoring import notebooks
from workshop.authoring.fold import Lesson, lessons
from workshop.course import parse
from workshop.grading.alignment import template
from workshop.grading.cache import ELSEWHERE
from workshop.grading.grade import Options, grade
from workshop.grading.table import table
from workshop.project import find_root
from workshop.tests.grading.corpus import TYPED, typed_in


def half_done(root: Path, lesson: Lesson, rng: random.Random) -> str:
    """The lesson's attendee notebook with a random half of its exercises done."""
    return half_done_with(root, lesson, rng)[0]


class Peaks:
    """Samples, every 0.1 s, the memory of the grader's descendants: the most
    one process held (resident), and the most they held at once (proportional
    set size, so pages a fork shares are counted once)."""

    def __init__(self) -> None:
        self.one = self.together = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.1):
            resident, proportional = [], []
            for pid in _descendants(me):
                resident.append(_field(f"/proc/{pid}/status", "VmRSS:"))
                proportional.append(_field(f"/proc/{pid}/smaps_rollup", "Pss:"))
            self.one = max([self.one, *resident])
            self.together = max(self.together, sum(proportional))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _field(path: str, name: str) -> int:
    """A "Name:  123 kB" line of a /proc file, in bytes (0 once the process is gone)."""
    try:
        text = Path(path).read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(name):
            return int(line.split()[1]) * 1024
    return 0


def _descendants(pid: int) -> set[int]:
    from workshop.tests.grading.corpus import descendants

    return descendants(pid)


def attacks(folder: Path, root: Path) -> list[Path]:
    """Every hostile submission of the grading tests, as files in `folder`."""
    from hostile import build  # beside this file

    return build(folder, root)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--jobs", type=int, default=2)
    options.add_argument("--attendees", type=int, default=30)
    options.add_argument(
        "--isolation", default="auto", choices=("auto", "bwrap", "fence")
    )
    options.add_argument("--whole-files", action="store_true")
    options.add_argument("--attacks", action="store_true")
    options.add_argument(
        "--duplicates",
        action="store_true",
        help="attendees who did the same exercises hand in the same notebooks",
    )
    options.add_argument(
        "--course", default="all", help="the lessons graded, as `workshop course`"
    )
    args = options.parse_args()
    if args.attacks:
        with_attacks(args)
        return
    root, rng = find_root(), random.Random(30)
    with tempfile.TemporaryDirectory(prefix="grade-benchmark-") as tmp:
        os.environ[ELSEWHERE] = str(Path(tmp, "grades"))  # kept there, not here
        folders = []
        for number in range(args.attendees):
            folder = Path(tmp, f"attendee-{number:02d}")
            (folder / "notebooks").mkdir(parents=True)
            for lesson in lessons(root):
                target = folder / "notebooks" / lesson.path.name
                text = half_done(root, lesson, rng)
                if not args.duplicates:  # each attendee's comments are their own
                    text = text.replace(TYPED, f"{TYPED} ({folder.name})")
                target.write_text(text, encoding="utf-8")
            folders.append(folder)
        options = Options(
            jobs=args.jobs,
            whole_files=args.whole_files,
            isolation=args.isolation,
            course=parse(args.course, (ls.number for ls in lessons(root))),
        )
        start = time.perf_counter()
        graded = grade(root, folders, options)
        elapsed = time.perf_counter() - start
        start = time.perf_counter()
        again = grade(root, folders, options)
        kept = time.perf_counter() - start
    columns, rows = graded.columns, graded.rows
    print(graded.isolation.header() + "\n")
    print(table(columns, rows))
    done = sum(row.graded for row in rows)
    same = table(columns, rows) == table(again.columns, again.rows)
    print(
        f"\n{len(rows)} submissions ({done} graded, {len(columns)} exercises each) "
        f"in {elapsed:.1f} s with --jobs {args.jobs}: "
        f"{elapsed / len(rows):.2f} s per submission. Again, with the grades "
        f"kept: {kept:.1f} s ({'the same table' if same else 'A DIFFERENT TABLE'})."
    )


def with_attacks(args: argparse.Namespace) -> None:
    """The class with every attack: all reports written, honest rows checked."""
    from workshop.grading.command import Request, run
    from workshop.grading.rows import State

    root, rng = find_root(), random.Random(30)
    with tempfile.TemporaryDirectory(prefix="grade-benchmark-") as tmp:
        os.environ[ELSEWHERE] = str(Path(tmp, "grades"))
        expected: dict[str, dict[str, State]] = {}
        paths = []
        for number in range(args.attendees):
            name = f"attendee-{number:02d}"
            folder = Path(tmp, "class", name)
            (folder / "notebooks").mkdir(parents=True)
            expected[name] = {}
            for lesson in lessons(root):
                target = folder / "notebooks" / lesson.path.name
                text, stubbed = half_done_with(root, lesson, rng)
                target.write_text(text, encoding="utf-8")
                for exercise in lesson.exercises:
                    done = exercise not in stubbed
                    expected[name][exercise] = (
                        State.PASSED if done else State.NOT_STARTED
                    )
            paths.append(folder)
        hostile = attacks(Path(tmp, "hostile"), root)
        out = Path(tmp, "reports")
        out.mkdir()
        request = Request(
            [*paths, *hostile],
            Options(
                jobs=args.jobs, whole_files=False, isolation=args.isolation, fresh=True
            ),
            csv=out / "grades.csv",
            json=out / "grades.json",
            gradebook=out / "gradebook.csv",
            feedback=out / "feedback",
        )
        peaks = Peaks()
        start = time.perf_counter()
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            status = run(root, request)
        elapsed = time.perf_counter() - start
        peaks.stop()
        report = json.loads((out / "grades.json").read_text(encoding="utf-8"))
        written = [p.name for p in out.iterdir()]
        feedback_files = len(list((out / "feedback").iterdir()))
    rows = {a["name"]: a for a in report["attendees"]}
    wrong = [
        name
        for name, states in expected.items()
        if any(
            rows[name]["exercises"].get(e, {}).get("state") != s.value
            for e, s in states.items()
            if e in rows[name]["exercises"]
        )
        or rows[name]["problems"]
        or rows[name]["flags"]
    ]
    hostile_rows = [a for a in report["attendees"] if a["name"] not in expected]
    unflagged = [
        a["name"]
        for a in hostile_rows
        if not (a["problems"] or a["flags"])
        and any(o["state"] == "pass" for o in a["exercises"].values())
    ]
    print(printed.getvalue())
    print(
        f"{len(expected)} honest and {len(hostile_rows)} hostile rows in "
        f"{elapsed:.1f} s with --jobs {args.jobs}, exit status {status}.\n"
        f"Honest rows wrong: {wrong or 'none'}. Hostile rows with a ✓ and no "
        f"problem or flag: {unflagged or 'none'}.\n"
        f"Reports written: {sorted(written)} ({feedback_files} feedback files).\n"
        f"Peak memory: grader {_max_rss() / 2**20:.0f} MiB; the largest process "
        f"under it {peaks.one / 2**20:.0f} MiB (resident), all of them at once "
        f"{peaks.together / 2**20:.0f} MiB (proportional; sampled every 0.1 s)."
    )


def _max_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def half_done_with(
    root: Path, lesson: Lesson, rng: random.Random
) -> tuple[str, set[str]]:
    """`half_done`, also saying which exercises were left as stubs."""
    mine = notebooks.read(root / "notebooks" / lesson.path.name)
    stubbed = {e for e in lesson.exercises if rng.random() < 0.5}
    typed = {  # typed work ends with a comment of the attendee's
        e: typed_in(
            template(lesson.bodies[lesson.homes[e]]).solutions[e],
            lesson.homes[e].path.endswith(".py"),
        )
        for e in lesson.exercises
        if e not in stubbed
    }
    for cell in lesson.file_cells:
        if not cell.deletes:
            text = cell.resolved(stubbed, typed)
            mine.cells[cell.index].source = notebooks.file_cell_source(cell.path, text)
    return notebooks.dumps(mine), stubbed


if __name__ == "__main__":
    main()
