"""`run_tests(*paths)`: the service's tests from a notebook cell, failures named.

pytest runs in a process of its own, in the project's root, as `pytest -q -rfE`
would in a terminal; the cell shows one line per test that failed (or could not
be collected), with its short reason, and pytest's count last:

    FAILED tests/test_structure.py::test_health_is_up - AssertionError: assert ...
    1 failed, 4 passed in 0.08s
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from workshop import child

COMMAND = ["-m", "pytest", "-q", "--color=no", "-rfE"]
WIDTH = "120"  # pytest cuts each summary line to the terminal's width
_SUMMARY = re.compile(r"^(FAILED|ERROR) ")
_COLLECTING = re.compile(r"^_+ ERROR collecting (\S+) _+$")
_SECTION = re.compile(r"^(_{2,} |=)")


def _collection_reasons(output: list[str]) -> dict[str, str]:
    """For each file that could not be collected, the last `E ` line of its error."""
    reasons: dict[str, str] = {}
    current = None
    for line in output:
        if match := _COLLECTING.match(line):
            current = match.group(1)
        elif _SECTION.match(line):  # the next section: "____ test_x ____", "===="
            current = None
        elif current and line.startswith("E "):
            reasons[current] = line[1:].strip()
    return reasons


def summary(output: str) -> list[str]:
    """From pytest's output: the FAILED and ERROR lines, then its last line."""
    lines = output.rstrip().splitlines()
    if not lines:
        return ["pytest printed nothing"]
    reasons = _collection_reasons(lines)
    found = []
    for line in lines:
        if _SUMMARY.match(line):
            path = line.split(" ", 1)[1]
            found.append(f"{line} - {reasons[path]}" if path in reasons else line)
    return [*found, lines[-1]]


def run_tests(root: Path, *paths: str) -> str:
    """Run pytest on `paths` (default: all of `tests/`) in `root`."""
    result = subprocess.run(
        [sys.executable, *COMMAND, *(paths or ("tests",))],
        cwd=root,
        env=child.environment(COLUMNS=WIDTH),
        capture_output=True,
        text=True,
        check=False,
    )
    return "\n".join(summary(result.stdout))
