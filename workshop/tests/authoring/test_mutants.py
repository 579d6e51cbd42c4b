"""`workshop mutants`: every check kills the mutants of its solution, or the
allow-list next to it says why not.

The last test is the one that fails the build when a check gets weaker: it
checks every mutant of every exercise (as long as they are at most BUDGET;
beyond that, the same sample of each), in jobs forked from the grading zygote.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workshop.authoring import fold
from workshop.authoring.mutation import allowed, cache, measure
from workshop.authoring.mutation.choose import sample, select, size_within
from workshop.authoring.mutation.generate import Mutant, Mutants, mutants_of
from workshop.authoring.mutation.measure import Measured, Options
from workshop.authoring.mutation.run import Outcome, Trial, lesson_files, outcome, run
from workshop.authoring.mutation.table import report
from workshop.checking import all_exercises
from workshop.cli import main
from workshop.grading.protocol import Ending, Kind, Record
from workshop.grading.runner import Verdict
from workshop.project import WorkshopError
from workshop.tests.conftest import ROOT

BUDGET = 200  # mutants the suite checks at most: about 80 s on 2 busy cores
LESSONS = fold.lessons(ROOT)
GROUPS = {e: mutants_of(lesson, e) for lesson in LESSONS for e in lesson.exercises}


def test_every_exercise_in_python_has_mutants_and_loses_none() -> None:
    for exercise, group in GROUPS.items():
        if group.path.endswith(".py"):
            assert group.mutants, f"{exercise}: no mutant of its region"
            assert "not expressible in the region" not in group.dropped, exercise


def test_the_allow_lists_name_real_mutants_each_with_a_reason() -> None:
    labels = {e: [m.label for m in group.mutants] for e, group in GROUPS.items()}
    assert allowed.problems(labels, allowed.explained()) == []


def test_a_stale_or_unexplained_entry_is_named() -> None:
    labels = {"02.2": ["constant: 1 → 2"]}
    reasons = {
        "02.2": {"constant: 1 → 2": " ", "constant: 1 → 0": "gone"},
        "09.9": {"x": "y"},
    }
    assert allowed.problems(labels, reasons) == [
        "02.2: give 'constant: 1 → 2' its reason, on one line",
        "02.2: no mutant is labelled 'constant: 1 → 0' any more",
        "09.9: explained mutants of an exercise that has none",
    ]


def test_exercises_are_chosen_by_id_or_lesson_in_order() -> None:
    assert [e for _, e in select(LESSONS, ["02", "01.3"])] == [
        "01.3",
        "02.1",
        "02.2",
        "02.3",
    ]
    assert len(select(LESSONS, [])) == len(all_exercises())
    with pytest.raises(WorkshopError, match=r"There is no exercise 01\.9"):
        select(LESSONS, ["01.9"])


def test_a_sample_is_the_same_every_time_and_spreads_over_operators() -> None:
    mutants = GROUPS["02.2"].mutants
    operators = {m.operator for m in mutants}
    picked = sample(mutants, len(operators))
    assert picked == sample(mutants, len(operators))
    assert {m.label for m in sample(mutants[::-1], len(operators))} == {
        m.label for m in picked
    }
    assert {m.operator for m in picked} == operators
    assert sample(mutants, None) == mutants == sample(mutants, 1000)


def test_the_budget_decides_the_sample_size() -> None:
    assert size_within([5, 20, 2], 27) is None
    assert size_within([5, 20, 2], 26) == 19
    assert size_within([5, 20, 2], 12) == 5
    assert size_within([5, 20, 2], 1) == 1


def _verdict(*records: Record, timed_out: bool = False) -> Verdict:
    return Verdict(list(records), 0, Ending(0 if records else None, timed_out), 0, "x")


def _result(*steps: tuple[bool, str], error: str | None = None) -> Record:
    data = {"exercise": "01.1", "expected": len(steps), "error": error}
    data["steps"] = [{"ok": ok, "text": text, "got": ""} for ok, text in steps]
    return Record(Kind.RESULT, {"result": data})


def test_what_came_back_says_whether_the_mutant_lived() -> None:
    assert outcome(_verdict(_result((True, "a"), (True, "b"))), "01.1") == Outcome(
        True, "passed"
    )
    assert outcome(_verdict(_result((True, "a"), (False, "b"))), "01.1") == Outcome(
        False, "✗ b"
    )
    assert outcome(_verdict(_result(error="boom")), "01.1") == Outcome(False, "✗ boom")
    assert outcome(_verdict(timed_out=True), "01.1") == Outcome(
        False, "timed out", decided=False
    )
    assert not outcome(_verdict(), "01.1").decided


def test_the_cache_keeps_outcomes_for_one_state_only(tmp_path: Path) -> None:
    files = lesson_files(LESSONS, 1)
    state = cache.state(ROOT, "01.1", files)
    assert state == cache.state(ROOT, "01.1", dict(files))
    changed = {**files, "app/main.py": files["app/main.py"] + "\n# changed"}
    assert cache.state(ROOT, "01.1", changed) != state
    kept = cache.Cache(tmp_path, "01.1", state, read=True)
    kept.outcomes[cache.key("code")] = Outcome(False, "✗ a step")
    kept.save()
    again = cache.Cache(tmp_path, "01.1", state, read=True).outcomes
    assert again == {cache.key("code"): Outcome(False, "✗ a step")}
    assert cache.Cache(tmp_path, "01.1", "another state", read=True).outcomes == {}
    assert cache.Cache(tmp_path, "01.1", state, read=False).outcomes == {}
    (tmp_path / cache.FOLDER / "01.1.json").write_text("{not json")
    assert cache.Cache(tmp_path, "01.1", state, read=True).outcomes == {}


def _measured(
    survived: bool, reasons: dict[str, str] | None = None, decided: bool = True
) -> Measured:
    mutant = Mutant(
        "01.1",
        "constant: 'ok' → ''",
        "constant",
        "app/routers/health.py",
        '    return {"status": ""}',
        ('  12 -     return {"status": "ok"}', '  12 +     return {"status": ""}'),
    )
    group = Mutants("01.1", 1, mutant.path, [mutant])
    entry = Measured(group, Outcome(True, "passed"), reasons=reasons or {})
    how = "passed" if survived else "✗" if decided else "timed out"
    entry.outcomes = {mutant.label: Outcome(survived, how, decided)}
    entry.labels = [mutant.label]
    return entry


def test_the_report_shows_an_unexplained_survivor_as_a_diff() -> None:
    text = report([_measured(True)])
    row = text.splitlines()[1].split()
    assert row == ["01.1", "1", "0", "1", "0", "0%", "0", "✗", "1", "unexplained"]
    assert "01.1 · survived · constant: 'ok' → ''" in text
    assert '  12 +     return {"status": ""}' in text
    assert _measured(True, {"constant: 'ok' → ''": "why"}).sound
    stale = report([_measured(False, {"constant: 'ok' → ''": "why"})])
    assert "✗ 1 explained, yet killed" in stale


def test_a_check_that_gave_no_verdict_kills_nothing() -> None:
    entry = _measured(False, decided=False)
    assert (entry.killed, entry.score, entry.sound) == (0, None, False)
    text = report([entry])
    assert "✗ 1 undecided" in text
    assert "01.1 · undecided: timed out · constant: 'ok' → ''" in text


@pytest.mark.parametrize(("survived", "code"), [(True, 1), (False, 0)])
def test_the_command_fails_on_an_unexplained_survivor(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    survived: bool,
    code: int,
) -> None:
    monkeypatch.setattr(measure, "measure", lambda *a, **k: [_measured(survived)])
    assert main(["mutants", "01.1"]) == code
    assert "1 mutants of 1 exercise(s)" in capsys.readouterr().out


def test_the_command_prints_the_table_and_keeps_the_outcomes(
    workshop_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(workshop_copy)
    assert main(["mutants", "01.3"]) == 0
    first = capsys.readouterr().out
    assert first.splitlines()[1].split() == [
        "01.3",
        "1",
        "1",
        "0",
        "0",
        "100%",
        "0",
        "✓",
    ]
    assert "1 mutants of 1 exercise(s)" in first and "0 outcomes from" in first
    assert (workshop_copy / cache.FOLDER / "01.3.json").is_file()
    assert main(["mutants", "01.3"]) == 0
    assert "1 outcomes from .workshop/mutants/" in capsys.readouterr().out


def test_a_mutant_nobody_explains_is_caught_by_the_real_machinery() -> None:
    """One explained mutant, run for real: it lives, and without its reason the
    exercise is no longer sound."""
    label = 'keyword removed: description="e.g. TEA-0001" → (removed)'
    mutant = next(m for m in GROUPS["02.2"].mutants if m.label == label)
    template = lesson_files(LESSONS, 2)
    files = lesson_files(LESSONS, 2, {"02.2": mutant.region})
    changed = {p: t for p, t in files.items() if template[p] != t}
    assert list(changed) == ["app/schemas/items.py"]
    [lived] = run(ROOT, {2: template}, [Trial(2, "02.2", changed)])
    assert lived == Outcome(True, "passed")
    entry = Measured(Mutants("02.2", 2, mutant.path, [mutant]), lived)
    entry.outcomes = {label: lived}
    assert not entry.sound


def test_every_check_kills_its_mutants_or_says_why_not() -> None:
    """The solutions pass their checks (test_exercises proves it) and the explained
    mutants are left out: `make mutants` runs those too."""
    options = Options(
        budget=BUDGET,
        read_cache=False,
        write_cache=False,
        solution=False,
        explained=False,
    )
    measured = measure.measure(ROOT, options=options)
    assert all(entry.sound for entry in measured), report(measured)
