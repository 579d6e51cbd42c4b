"""No check's verdict rests on one random draw.

Each check runs on its stub and on its solution under 20 seeds of
`workshop.exercises.chance`; every run of the stub fails and every run of the
solution passes, saying the same steps in the same words (a step's text is what
is expected, the same on every run: a solution's stored output never changes). One child process runs the 20 seeds of a case, importing the
app afresh for each, so the suite pays the interpreter's start once per case.

Every exercise takes about 5 s of CPU per case (10 min for all of them, 38 min
of wall time at a load of 12), so `make test` runs the 20 seeds for one
exercise per lesson (one that draws, where its checks draw); WORKSHOP_ALL_SEEDS=1
runs every exercise.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from workshop import checking, child
from workshop.authoring.fold import managed_files
from workshop.authoring.sandbox import make_sandbox
from workshop.exercises.chance import SEED
from workshop.project import find_root

ROOT = find_root(Path(__file__))
SEEDS = range(1, 21)
# One exercise per lesson; where a lesson's checks draw values, one that does.
SAMPLE = {
    "01.1",
    "02.3",
    "03.1",
    "04.4",
    "05.2",
    "06.3",
    "07.2",
    "08.3",
    "09.2",
    "10.2",
}
EXERCISES = sorted(
    e
    for e in checking.all_exercises()
    if e in SAMPLE or os.environ.get("WORKSHOP_ALL_SEEDS") == "1"
)
RUNNER = "workshop.tests.test_check_seeds"


def verdicts(box: Path, exercise: str, tmp_path: Path) -> dict[int, list]:
    """{seed: [passed, the steps' texts]} for every seed, the check run in a
    child inside `box`."""
    out = tmp_path / "verdicts.json"
    log = tmp_path / "output.log"
    with log.open("wb") as output:
        subprocess.run(
            [sys.executable, "-m", RUNNER, exercise, str(out)],
            cwd=box,
            env=child.environment(no_bytecode=True),
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
        )
    assert out.exists(), child.last_line(log)
    return {int(k): v for k, v in json.loads(out.read_text()).items()}


@pytest.mark.parametrize("stubbed", [False, True], ids=["solution", "stub"])
@pytest.mark.parametrize("exercise", EXERCISES)
def test_the_verdict_is_the_same_under_every_seed(
    tmp_path: Path, exercise: str, stubbed: bool
) -> None:
    lesson = checking.lesson_of(exercise)
    files = managed_files(
        ROOT, through=lesson, stubbed={exercise} if stubbed else set()
    )
    box = make_sandbox(ROOT, tmp_path / "workshop", files=files.texts())
    got = verdicts(box, exercise, tmp_path)
    wrong = sorted(seed for seed, (passed, _) in got.items() if passed == stubbed)
    assert len(got) == len(SEEDS) and not wrong, (
        f"{exercise} {'stub passed' if stubbed else 'solution failed'} "
        f"under seeds {wrong}"
    )
    if not stubbed:
        said = {tuple(texts) for _, texts in got.values()}
        assert len(said) == 1, f"{exercise}'s steps say other words per seed: {said}"


def _run_seeds(exercise: str, out: Path) -> None:
    """The child: run the check once per seed, the app imported afresh each time."""
    found: dict[int, list] = {}
    for seed in SEEDS:
        os.environ[SEED] = str(seed)
        child.forget_app_modules()
        result = checking.check_in_process(exercise)
        found[seed] = [result.passed, [step.text for step in result.steps]]
    out.write_text(json.dumps(found), encoding="utf-8")


if __name__ == "__main__":
    _run_seeds(sys.argv[1], Path(sys.argv[2]))


def test_08_3_never_draws_its_forged_client_as_the_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The throttle's step needs two clients: drawn the same (1 time in 508),
    the second one's sign-in was refused with 429, and a solution failed."""
    from workshop.exercises import lesson08

    class Repeating(random.Random):
        """Draws 198.51.100.7 twice, then 203.0.113.9."""

        def __init__(self) -> None:
            super().__init__(0)
            self.prefixes = iter(["198.51.100", "198.51.100", "203.0.113"])
            self.hosts = iter([7, 7, 9])

        def choice(self, seq: Any) -> Any:
            return next(self.prefixes)

        def randrange(self, *bounds: Any, **ignored: Any) -> int:
            return next(self.hosts)

    repeating = Repeating()
    monkeypatch.setattr(lesson08, "draw", lambda: repeating)
    client = lesson08._outside()
    assert (client, lesson08._outside(client)) == ("198.51.100.7", "203.0.113.9")
