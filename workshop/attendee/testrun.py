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

# pytest cuts each summary line to the terminal's width, except on a CI machine
# (environment variable CI): --force-short-summary cuts it everywhere alike.
COMMAND = ["-m", "pytest", "-q", "--color=no", "-rfE", "--force-short-summary"]
WIDTH = "120"
_SUMMARY = re.compile(r"^(FAILED|ERROR) ")
_COLLECTING = re.compile(r"^_+ ERROR collecting (\S+) _+$")
_SECTION = re.compile(r"^(_{2,} |=)")
_TEST = re.compile(r"^_{2,} (\S.*?) _{2,}$")
_GROUP = re.compile(r"^ *\+ Exception Group Traceback")
# A sub-exception's own line, indented under its group: "    | module.Error: why"
_RAISED = re.compile(r"^ {4,}\| ([A-Za-z_][\w.]*): (\S.*)$")


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


def _group_reasons(output: list[str]) -> dict[str, str]:
    """For each test that failed with an exception group (Hypothesis, schemathesis),
    its first sub-exception: pytest's own reason is the group's traceback header."""
    reasons: dict[str, str] = {}
    test, in_group = None, False
    for line in output:
        if match := _TEST.match(line):
            test, in_group = match.group(1), False
        elif _SECTION.match(line):
            test = None
        elif _GROUP.match(line):
            in_group = True
        elif (
            in_group and test and test not in reasons and (match := _RAISED.match(line))
        ):
            reasons[test] = f"{match.group(1).rsplit('.', 1)[-1]}: {match.group(2)}"
    return reasons


def summary(output: str) -> list[str]:
    """From pytest's output: the FAILED and ERROR lines, then its last line."""
    lines = output.rstrip().splitlines()
    if not lines:
        return ["pytest printed nothing"]
    reasons = _collection_reasons(lines)
    groups = _group_reasons(lines)
    found = []
    for line in lines:
        if _SUMMARY.match(line):
            path = line.split(" ", 1)[1]
            test = path.split(" - ", 1)[0]
            name = test.split("::", 1)[-1].replace("::", ".")  # its section's title
            if path in reasons:
                line = f"{line} - {reasons[path]}"
            elif name in groups:
                line = f"{line.split(' - ', 1)[0]} - {groups[name]}"
            found.append(line)
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
