"""From what came back from a job to each exercise's outcome, and the row's words.

Records are only believed when they are consistent: one result per exercise,
one end, no lines without the job's nonce, the checks' code unchanged. Anything
else voids the lesson's results (no ✓ can come from it) and flags the row.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, field
from typing import Any

from workshop.authoring.regions import solved_marker
from workshop.grading.compose import Composed
from workshop.grading.protocol import Kind, Status
from workshop.grading.rows import Outcome, State
from workshop.grading.runner import Verdict
from workshop.grading.work import Work

OUTPUT_LIMIT = 2**20  # more than this from one notebook's checks is a runaway print


@dataclass
class Judged:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def _outcome(data: dict[str, Any]) -> Outcome:
    """An exercise's outcome from a result the protocol checked the shape of
    (workshop.grading.protocol.well_formed): only its typed fields are read."""
    steps = [(s["ok"], s["text"], s.get("got", "")) for s in data.get("steps", [])]
    error = data.get("error")
    total = max(data.get("expected", 0), len(steps))
    lines = [
        f"✓ {text}" if ok else f"✗ {text}" + (f" (got {got})" if got else "")
        for ok, text, got in steps
    ]
    lines += [f"✗ {error}"] if error else []
    passed = not error and bool(steps) and all(ok for ok, _, _ in steps)
    passed = passed and len(steps) >= total
    if passed:
        return Outcome(State.PASSED, "", (len(steps), total), tuple(lines))
    failed = [text for ok, text, _ in steps if not ok]
    detail = error or "; ".join(failed) or "no step ran"
    return Outcome(
        State.FAILED, detail, (sum(ok for ok, _, _ in steps), total), tuple(lines)
    )


def _distrust(verdict: Verdict) -> list[str]:
    """Why the records cannot be believed, if they cannot."""
    kinds = [record.kind for record in verdict.records]
    results = [
        r.data.get("result", {}).get("exercise")
        for r in verdict.records
        if r.kind is Kind.RESULT
    ]
    reasons = []
    if verdict.forged:
        reasons.append(Status.FORGED.text())
    if kinds.count(Kind.DONE) > 1 or len(results) != len(set(results)):
        reasons.append("more than one process reported results")
    for record in verdict.records:
        if record.kind is Kind.TAMPER:
            what = ", ".join(map(str, record.data.get("what", [])))[:200]
            reasons.append(Status.TAMPERED.text(what))
            break
    return reasons


def _problems(verdict: Verdict, timeout: float) -> list[str]:
    kinds = {record.kind for record in verdict.records}
    problems = []
    refused = [
        r.data.get("what", "") for r in verdict.records if r.kind is Kind.VIOLATION
    ]
    if refused:
        problems.append(f"{Status.WROTE_OUTSIDE.text()} ({str(refused[0])[:200]})")
    if verdict.ending.timed_out or verdict.ending.exit_code == -signal.SIGXCPU:
        problems.append(Status.TIMED_OUT.text(f"{timeout:g}"))
    if verdict.output_bytes > OUTPUT_LIMIT:
        problems.append(Status.TOO_MUCH_OUTPUT.text())
    errors = [
        r.data.get("text", "") for r in verdict.records if r.kind is Kind.IMPORT_ERROR
    ]
    if errors:
        problems.append(Status.IMPORT_ERROR.text(errors[0]))
    if Kind.DONE not in kinds and not problems:
        problems.append(Status.NOT_RUN.text(verdict.last_line))
    return problems


def judge(
    exercises: tuple[str, ...],
    work: Work,
    composed: Composed,
    verdict: Verdict | None,
    *,
    timeout: float,
    regions_only: bool,
) -> Judged:
    judged = Judged()
    judged.problems += [
        f"syntax error: {e}" for e in (*composed.broken.values(), *composed.errors)
    ]
    pending = []
    for exercise in exercises:
        answer = work.answers.get(exercise)
        if answer is None:
            judged.outcomes[exercise] = Outcome(
                State.MISSING, "its cell is not in the notebook"
            )
        elif any(solved_marker(exercise) in line for line in answer.lines):
            judged.outcomes[exercise] = Outcome(
                State.SOLVED_BY_TOOL, "the attendee ran `workshop solve`"
            )
        elif exercise in composed.broken:
            judged.outcomes[exercise] = Outcome(State.FAILED, composed.broken[exercise])
        elif regions_only and not answer.started:
            judged.outcomes[exercise] = Outcome(State.NOT_STARTED, "still the stub")
        else:
            pending.append(exercise)
    if verdict is None:
        return judged
    distrust = _distrust(verdict)
    judged.flags += distrust
    problems = _problems(verdict, timeout)
    judged.problems += problems
    results: dict[str, dict[str, Any]] = {}
    for record in verdict.records:
        if record.kind is Kind.RESULT and isinstance(record.data.get("result"), dict):
            results.setdefault(
                record.data["result"].get("exercise"), record.data["result"]
            )
    for exercise in pending:
        if distrust:
            outcome = Outcome(State.VOID, distrust[0])
        elif exercise in results:
            outcome = _outcome(results[exercise])
        else:
            outcome = Outcome(State.FAILED, problems[0] if problems else "no result")
        started = work.answers[exercise].started
        if not started and outcome.state is State.FAILED:
            outcome = Outcome(
                State.NOT_STARTED, "still the stub", outcome.steps, outcome.messages
            )
        judged.outcomes[exercise] = outcome
    return judged
