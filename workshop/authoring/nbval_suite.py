"""Run nbval over every notebook, each in a sandbox at its own checkpoint.

Solutions run in strict mode (stored outputs must match); attendee notebooks run in
lax mode (every cell must run, stubs and all), their outputs kept, so that one run
also proves the notebook never contradicts itself: where an attendee's copy prints
something else than the solution, a note above the cell names the exercise
(workshop.authoring.contradictions). The checkout itself is never touched.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from workshop import child, timeouts
from workshop.authoring import nbval_capture
from workshop.authoring.contradictions import in_every_lesson
from workshop.authoring.outputs import SANITIZE
from workshop.authoring.sandbox import make_sandbox
from workshop.project import find_root, lesson_number, solution_notebooks


def _pytest(
    targets: list[Path],
    mode: str,
    rootdir: Path,
    extra: list[str],
    **env: str,
) -> int:
    command = [
        sys.executable,
        "-m",
        "pytest",
        mode,
        "--nbval-current-env",
        "--nbval-sanitize-with",
        str(SANITIZE),
        "--nbval-cell-timeout",
        str(timeouts.NOTEBOOK_CELL),
        "-p",
        "no:cacheprovider",
        "-c",
        str(rootdir / "pytest.ini"),
        "--rootdir",
        str(rootdir),
        f"--basetemp={rootdir / 'pytest-tmp'}",  # removed with rootdir
        "-n",
        "2",
        "--dist",
        "loadfile",
        *extra,
        *map(str, targets),
    ]
    # Outputs must not depend on the settings of the machine that runs them.
    return subprocess.run(
        command, cwd=rootdir, env=child.environment(**env), check=False
    ).returncode


def main(argv: list[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)
    root = find_root()
    with tempfile.TemporaryDirectory(prefix="workshop-nbval-") as tmp:
        top = Path(tmp)
        (top / "pytest.ini").write_text(
            "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
        )
        runs = {"solutions": [], "notebooks": []}
        for source in solution_notebooks(root):
            lesson = lesson_number(source)
            for folder, targets in runs.items():
                box = make_sandbox(root, top / f"{folder}-{lesson:02d}", lesson)
                targets.append(box / folder / source.name)
        strict = _pytest(runs["solutions"], "--nbval", top, extra)
        captured = top / "captured"
        captured.mkdir()
        lax = _pytest(
            runs["notebooks"],
            "--nbval-lax",
            top,
            [*extra, "-p", nbval_capture.__name__],
            **{nbval_capture.ENV: str(captured)},
        )
        problems = in_every_lesson(root, captured)
    for problem in problems:
        print(f"✗ {problem}")
    if not problems:
        print(
            "✓ Every cell of the attendee notebooks prints what the solution does, "
            "or says above it which exercise it waits for."
        )
    return strict or lax or (1 if problems else 0)


if __name__ == "__main__":
    sys.exit(main())
