"""How long `workshop grade` takes for a class of 30 (not a test: run it by hand).

    .venv/bin/python benchmarks/grade_30.py [--jobs 2] [--attendees 30]

Each synthetic attendee hands in a folder with every lesson that has exercises,
some exercises solved and some left as stubs, as a real class would. The goal is
under 60 s for 30 attendees on 2 cores.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from workshop.authoring import notebooks
from workshop.authoring.regions import region_ids, render
from workshop.grading.grade import grade
from workshop.grading.gradebook import table
from workshop.project import find_root, solution_notebooks


def attendee_copy(root: Path, solution: Path, rng: random.Random) -> str:
    """The attendee notebook with a random half of its exercises done."""
    source = notebooks.read(solution)
    mine = notebooks.read(root / "notebooks" / solution.name)
    ids = {r for cell in source.cells for r in region_ids(cell.source)}
    stubbed = {r for r in sorted(ids) if rng.random() < 0.5}
    for cell, theirs in zip(mine.cells, source.cells, strict=True):
        parsed = notebooks.parse_file_cell(theirs.source)
        if parsed:
            path, body = parsed
            cell.source = f"%%save_file {path}\n{render(body, stub=stubbed).rstrip()}"
    return notebooks.dumps(mine)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--jobs", type=int, default=2)
    options.add_argument("--attendees", type=int, default=30)
    args = options.parse_args()
    root, rng = find_root(), random.Random(30)
    with tempfile.TemporaryDirectory(prefix="grade-benchmark-") as tmp:
        folders = []
        for number in range(args.attendees):
            folder = Path(tmp, f"attendee-{number:02d}")
            (folder / "notebooks").mkdir(parents=True)
            for solution in solution_notebooks(root):
                target = folder / "notebooks" / solution.name
                target.write_text(attendee_copy(root, solution, rng), encoding="utf-8")
            folders.append(folder)
        start = time.perf_counter()
        columns, rows = grade(root, folders, jobs=args.jobs)
        elapsed = time.perf_counter() - start
    print(table(columns, rows))
    graded = sum(row.graded for row in rows)
    print(
        f"\n{len(rows)} submissions ({graded} graded, {len(columns)} exercises each) "
        f"in {elapsed:.1f} s with --jobs {args.jobs}: "
        f"{elapsed / len(rows):.2f} s per submission."
    )


if __name__ == "__main__":
    main()
