"""Measure exercises: generate their mutants, check them (or read the cache),
and hold each outcome beside the allow-list's reasons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workshop.authoring import fold
from workshop.authoring.mutation import allowed, cache
from workshop.authoring.mutation.choose import sample, select, size_within
from workshop.authoring.mutation.generate import Mutant, Mutants, mutants_of
from workshop.authoring.mutation.run import Outcome, Trial, lesson_files, run


@dataclass(frozen=True)
class Options:
    jobs: int = 2
    size: int | None = None  # mutants per exercise (None: all of them)
    budget: int | None = None  # or as many per exercise as keep the total within
    read_cache: bool = True
    write_cache: bool = True
    mode: str = "auto"  # the grading isolation (workshop.grading.isolation.MODES)
    solution: bool = True  # also check the unchanged solution, as the baseline
    explained: bool = True  # also run the mutants the allow-lists explain


@dataclass
class Measured:
    """One exercise: its mutants, what became of each, and the reasons given."""

    group: Mutants
    baseline: Outcome | None = None  # the check on the solution (None: not run)
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # by label
    reasons: dict[str, str] = field(default_factory=dict)  # explained, by label
    labels: list[str] = field(default_factory=list)  # every mutant's, sampled or not
    cached: int = 0  # outcomes read from the cache

    @property
    def exercise(self) -> str:
        return self.group.exercise

    @property
    def broken(self) -> bool:
        """The check fails on the solution: its mutants' outcomes mean nothing."""
        return self.baseline is not None and not self.baseline.passed

    def survivors(self) -> list[Mutant]:
        return [m for m in self.group.mutants if self.outcomes[m.label].passed]

    def undecided(self) -> list[Mutant]:
        """Mutants whose check gave no verdict: it timed out, or its job died."""
        return [m for m in self.group.mutants if not self.outcomes[m.label].decided]

    def unexplained(self) -> list[Mutant]:
        return [m for m in self.survivors() if m.label not in self.reasons]

    def explained(self) -> list[Mutant]:
        return [m for m in self.survivors() if m.label in self.reasons]

    def stale(self) -> list[Mutant]:
        """Explained as surviving, yet killed: the reason is no longer true."""
        return [
            m
            for m in self.group.mutants
            if m.label in self.reasons
            and not self.outcomes[m.label].passed
            and self.outcomes[m.label].decided
        ]

    @property
    def killed(self) -> int:
        return len(self.group.mutants) - len(self.survivors()) - len(self.undecided())

    @property
    def score(self) -> float | None:
        """Killed among the mutants decided and not explained as equivalent."""
        counted = (
            len(self.group.mutants) - len(self.explained()) - len(self.undecided())
        )
        return self.killed / counted if counted else None

    @property
    def sound(self) -> bool:
        return not (
            self.broken or self.unexplained() or self.stale() or self.undecided()
        )


def measure(
    root: Path,
    wanted: list[str] | None = None,
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Measured]:
    """Every exercise asked for (all when none is), measured."""
    options = options or Options()
    lessons = fold.lessons(root)
    reasons = allowed.explained()
    measured: list[Measured] = []
    trials: list[Trial] = []
    marks: list[tuple[Measured, str]] = []
    templates: dict[int, dict[str, str]] = {}
    caches: dict[str, cache.Cache] = {}
    chosen = select(lessons, wanted or [])
    for lesson, exercise in chosen:
        group = mutants_of(lesson, exercise)
        entry = Measured(group, reasons=reasons.get(exercise, {}))
        entry.labels = [m.label for m in group.mutants]
        if not options.explained:
            group.mutants = [m for m in group.mutants if m.label not in entry.reasons]
        measured.append(entry)
    size = options.size
    if options.budget is not None:
        size = size_within([len(e.group.mutants) for e in measured], options.budget)
    for (lesson, exercise), entry in zip(chosen, measured, strict=True):
        group = entry.group
        group.mutants = sample(group.mutants, size)
        files = templates.setdefault(
            lesson.number, lesson_files(lessons, lesson.number)
        )
        state = cache.state(root, exercise, files)
        kept = caches[exercise] = cache.Cache(
            root, exercise, state, read=options.read_cache
        )
        wanted_marks = [cache.SOLUTION] if options.solution else []
        wanted_marks += [cache.key(m.region) for m in group.mutants]
        regions = {cache.key(m.region): m.region for m in group.mutants}
        for mark in wanted_marks:
            if mark in kept.outcomes:
                entry.cached += mark != cache.SOLUTION
                continue
            changed = {}
            if mark != cache.SOLUTION:
                answer = {exercise: regions[mark]}
                written = lesson_files(lessons, lesson.number, answer)
                changed = {p: t for p, t in written.items() if files.get(p) != t}
            trials.append(Trial(lesson.number, exercise, changed))
            marks.append((entry, mark))
    finished = [0]

    def done(trial: Trial, outcome: Outcome) -> None:
        finished[0] += 1
        if progress is not None:
            progress(finished[0], len(trials))

    outcomes = []
    if trials:
        outcomes = run(
            root, templates, trials, jobs=options.jobs, mode=options.mode, done=done
        )
    for (entry, mark), outcome in zip(marks, outcomes, strict=True):
        caches[entry.exercise].outcomes[mark] = outcome
    for entry in measured:
        known = caches[entry.exercise].outcomes
        entry.baseline = known.get(cache.SOLUTION) if options.solution else None
        entry.outcomes = {
            m.label: known[cache.key(m.region)] for m in entry.group.mutants
        }
        solution = known.get(cache.SOLUTION)
        if options.write_cache and solution is not None and solution.passed:
            caches[entry.exercise].save()  # outcomes of a check proven on the solution
    return measured
