"""How long `workshop grade` takes for a class of 30 (not a test: run it by hand).

    .venv/bin/python benchmarks/grade_30.py [--jobs 2] [--attendees 30]
        [--isolation auto|bwrap|fence] [--whole-files]

Each synthetic attendee hands in a folder with every lesson that has exercises,
some exercises solved and some left as stubs, as a real class would. The goal is
under 60 s for 30 attendees on 2 cores, with the sandbox on (bubblewrap);
`--isolation fence` measures the same without it, and `--whole-files` with
every exercise checked (by default an exercise still holding its stub is not).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from workshop.authoring import notebooks
from workshop.authoring.fold import Lesson, lessons
from workshop.grading.grade import Options, grade
from workshop.grading.table import table
from workshop.project import find_root


def half_done(root: Path, lesson: Lesson, rng: random.Random) -> str:
    """The lesson's attendee notebook with a random half of its exercises done."""
    mine = notebooks.read(root / "notebooks" / lesson.path.name)
    stubbed = {e for e in lesson.exercises if rng.random() < 0.5}
    for cell in lesson.file_cells:
        if not cell.deletes:
            source = notebooks.file_cell_source(cell.path, cell.resolved(stubbed))
            mine.cells[cell.index].source = source
    return notebooks.dumps(mine)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--jobs", type=int, default=2)
    options.add_argument("--attendees", type=int, default=30)
    options.add_argument(
        "--isolation", default="auto", choices=("auto", "bwrap", "fence")
    )
    options.add_argument("--whole-files", action="store_true")
    args = options.parse_args()
    root, rng = find_root(), random.Random(30)
    with tempfile.TemporaryDirectory(prefix="grade-benchmark-") as tmp:
        folders = []
        for number in range(args.attendees):
            folder = Path(tmp, f"attendee-{number:02d}")
            (folder / "notebooks").mkdir(parents=True)
            for lesson in lessons(root):
                target = folder / "notebooks" / lesson.path.name
                target.write_text(half_done(root, lesson, rng), encoding="utf-8")
            folders.append(folder)
        start = time.perf_counter()
        graded = grade(
            root,
            folders,
            Options(
                jobs=args.jobs, whole_files=args.whole_files, isolation=args.isolation
            ),
        )
        elapsed = time.perf_counter() - start
    columns, rows = graded.columns, graded.rows
    print(graded.isolation.header() + "\n")
    print(table(columns, rows))
    done = sum(row.graded for row in rows)
    print(
        f"\n{len(rows)} submissions ({done} graded, {len(columns)} exercises each) "
        f"in {elapsed:.1f} s with --jobs {args.jobs}: "
        f"{elapsed / len(rows):.2f} s per submission."
    )


if __name__ == "__main__":
    main()
