"""Checks for 09 · Deployment.

No server and no container: the app runs on SQLite, a database that is down is
a port on 127.0.0.1 that refuses connections, or an engine whose connections
never come, gunicorn.conf.py is imported as Gunicorn imports it, and the
Dockerfile is read as instructions, its HEALTHCHECK run as the image would run
it. All of that happens where the app runs, in the observations of
workshop.exercises.observations.lesson09, which return answers, log lines,
worker counts, the Dockerfile's text, exit codes and the seconds measured on the
app's event loop; the verdict is made here, so the lesson is judged outside its
sandbox when graded (workshop.grading.judge). Timeouts, worker counts and CPU
counts are chosen at random for each run (workshop.exercises.chance), on top of
fixed cases.

Properties, each with the cases that exercise it:

09.1 (readiness)
- Ready (200) exactly when the database answers a statement: a database that
  is up; one that refuses connections; connections that open and statements
  that fail; connections that never come.
- It gives up after readiness_timeout, measured on the event loop's clock: not
  before it, and before a connection that would fail by itself at 1.5 times it;
  the same when the connection opens and the statement never answers.
- What it says when not ready is a 503 problem with Retry-After, and neither
  the answer nor the log holds the database URL's password; the answer (body
  and headers) holds no exception text, host or port either; the warning
  logged says why (the error).
- Liveness stays 200 while the database is down.

09.2 (worker_count)
- The workers are the setting when it is set (1, 8 on 2 CPUs, and a random
  number), else the CPUs this process may use (1, 2 and a random count;
  os.cpu_count and os.sched_getaffinity agree), else 1 when the count is
  unknown.
- worker_count reads the settings it is given, never os.environ: called with
  settings of its own, whatever APP_WORKERS holds there.

09.3 (the runtime image)
- The last stage runs as a user given by number, created before USER (in a
  group made before it, when useradd names one by number), USER before CMD.
- Its HEALTHCHECK asks /health, runs in the image (Python, only the standard
  library and the packages of requirements.txt), succeeds against a live port
  and fails against a /health that answers 500 and against a dead port.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import httpx

from workshop.checking import Checker, exercise
from workshop.exercises.chance import draw, hex_token
from workshop.exercises.observations.lesson09 import (
    dockerfile,
    gunicorn_settings,
    healthcheck,
    readiness,
    workers_for,
)

READY = "/health/ready"
PROBLEM_JSON = "application/problem+json"
# Nothing listens on port 1; the password must reach neither an answer nor a log.
REFUSING = "postgresql+asyncpg://check:{password}@127.0.0.1:1/check"


def _response(seen: Any) -> httpx.Response | None:
    """An answer an observation saw, rebuilt as a response (None: no answer)."""
    if seen is None:
        return None
    return httpx.Response(
        seen["status"],
        headers=[(k, v) for k, v in seen["headers"]],
        content=seen["body"].encode(),
    )


def _is_503_problem(response: Any) -> bool:
    if response is None or response.status_code != 503:
        return False
    if not response.headers.get("content-type", "").startswith(PROBLEM_JSON):
        return False
    body = response.json()
    return (
        body.get("status") == 503
        and body.get("title") == "Service Unavailable"
        and bool(body.get("detail"))
        and body.get("request_id") == response.headers.get("X-Request-ID")
        and response.headers.get("Retry-After", "").isdigit()
    )


def _said(response: Any) -> str:
    if response is None:
        return "no answer"
    return (
        f"{response.status_code} {response.headers.get('content-type')} "
        f"Retry-After: {response.headers.get('Retry-After')} {response.text[:160]}"
    )


@exercise(
    "09.1",
    "Ready only when the database answers",
    hints=(
        "Readiness asks the database something trivial through the app's engine, "
        "and gives up after settings.readiness_timeout seconds; what a client gets "
        "when it gives up is the service's problem format, with status 503.",
        "Wrap the work in asyncio.timeout() with the setting as its delay; in it, "
        "open a connection from request.app.state.engine and execute "
        "text('SELECT 1'). Catch OSError, TimeoutError and SQLAlchemyError, log "
        "the error with logger.warning, and return the problem that "
        "problem_response builds for status 503, with the status's phrase as "
        "its title and a Retry-After header. The detail is a sentence of your "
        "own: the error's text names the database's host and port.",
    ),
    steps=9,
)
def readiness_asks_the_database(t: Checker) -> None:
    rng = draw()
    with t.client(t.app()) as client:
        answer = client.get(READY)
        t.expect(
            answer.status_code == 200 and answer.json().get("status") == "ready",
            "with its database up, /health/ready answers 200 {'status': 'ready', ...}",
            got=_said(answer),
        )
    password = "pw" + hex_token(rng, 6)
    seen = t.observe(
        readiness, settings={"database_url": REFUSING.format(password=password)}
    )
    answer, live = _response(seen["ready"]), _response(seen["live"])
    warnings: list[str] = seen["warnings"]
    t.expect(
        _is_503_problem(answer),
        "with a database that refuses connections, /health/ready answers a 503 "
        "problem (application/problem+json, Service Unavailable, its request_id, "
        "a Retry-After)",
        got=_said(answer),
    )
    causes = ("Connect call", "Errno", "refused", "Refused")
    t.expect(
        any(cause in message for message in warnings for cause in causes),
        "why the service is not ready is logged as a warning (the error, here a "
        "refused connection, in the app's logger), for whoever reads the logs",
        got=f"warnings logged: {warnings[-3:]!r}",
    )
    told = (
        answer.text + "".join(f"\n{k}: {v}" for k, v in answer.headers.items())
        if answer is not None
        else ""
    )
    found = [
        word
        for word in (password, "127.0.0.1", "check@", "Errno", "Connect call")
        if word in told
    ]
    logged = [m for m in warnings if password in m]
    t.expect(
        answer is not None and not found and not logged,
        "the 503 says nothing of the database in its body or its headers (no "
        "exception text, host, port or password), and no log line holds the "
        "URL's password",
        got=f"the answer holds {found}: {told[:200]}"
        if found
        else f"logged: {logged[:1]}",
    )
    t.expect(
        live is not None and live.status_code == 200,
        "/health stays 200 while the database is down: liveness touches nothing",
        got=_said(live),
    )
    answer = _response(t.observe(readiness, settings={}, connections="broken")["ready"])
    t.expect(
        answer is not None
        and _is_503_problem(answer)
        and "server closed the connection" not in answer.text,
        "with connections that open and statements that fail (the server went away "
        "after the pool opened them), /health/ready answers a 503 problem: it asks "
        "the database something, and waits for the answer",
        got=_said(answer),
    )
    timeout = round(2.5 + rng.randrange(60) / 100, 2)  # above the default
    answer, took, gave_up = _waited(t, timeout, "hanging", "the connection")
    t.expect(
        _is_503_problem(answer),
        "with a database that never answers, /health/ready gives up with a 503 problem",
        got=f"{_said(answer)} after {took:.1f} s (readiness_timeout={timeout})",
    )
    t.expect(
        gave_up is None,
        "it waits readiness_timeout seconds from the settings, then gives up: not "
        "sooner, and before a connection that fails by itself at 1.5 times that",
        got=gave_up,
    )
    answer, _, gave_up = _waited(t, timeout, "stuck", "the statement")
    t.expect(
        _is_503_problem(answer) and gave_up is None,
        "with a connection that opens and a statement that never answers, it gives "
        "up after readiness_timeout all the same: the timeout holds the statement, "
        "not only the connection",
        got=f"{_said(answer)}; {gave_up}" if gave_up else _said(answer),
    )


def _waited(
    t: Checker, timeout: float, connections: str, what: str
) -> tuple[httpx.Response | None, float, str | None]:
    """/health/ready of an app whose database never answers (`connections`:
    "hanging" or "stuck"), which fails by itself at 1.5 times `timeout`: the
    answer, the seconds it took, and None when the wait was given up after
    `timeout` (measured on the app's event loop where it runs), else what
    happened instead."""
    seen = t.observe(
        readiness,
        settings={"readiness_timeout": timeout},
        connections=connections,
        hang=1.5 * timeout,
        limit=60 + 2 * timeout,
    )
    answer, took = _response(seen["ready"]), seen["took"]
    waited, ended = seen["waited"], seen["ended"]
    if waited is not None and ended is False and waited >= timeout - 0.05:
        return answer, took, None
    if waited is not None:
        happened = f"{what} was given up after {waited:.2f} s"
    elif ended:
        happened = f"nobody gave up; {what} failed by itself at {1.5 * timeout:.2f} s"
    else:
        happened = f"{what} was never asked for"
    return answer, took, f"readiness_timeout={timeout}: {happened}"


def _is_int(value: Any, wanted: int) -> bool:
    """`value` is the number `wanted`, an int (True is not 1 worker)."""
    return type(value) is int and value == wanted


@exercise(
    "09.2",
    "Workers from settings",
    hints=(
        "Two sources, in order: the setting, when it is set (an unset one is None), "
        "then the number of CPUs. Gunicorn's 2 x CPUs + 1 is for synchronous "
        "workers, not for event loops.",
        "Two answers can be missing: an unset setting, and a CPU count that "
        "Python could not find (read what os.cpu_count() returns then). Each "
        "needs a fallback. APP_WORKERS reaches you through the settings you "
        "were given, never through os.environ.",
    ),
    steps=4,
)
def workers_come_from_settings(t: Checker) -> None:
    rng = draw()
    counts = [1, 2, rng.randint(3, 64)]
    cpus = rng.choice(counts)
    other = rng.choice([n for n in range(2, 41) if n not in (cpus, 2 * cpus + 1)])
    # A setting of 1 on machines of 2 and more CPUs: 1 is a setting, not "unset".
    # And more workers than CPUs: the setting is not a cap on the CPU count.
    chosen = [(1, 2), (1, counts[2]), (other, cpus), (8, 2)]
    wrong = []
    for wanted, cpus in chosen:
        conf = t.observe(
            gunicorn_settings, environment={"APP_WORKERS": str(wanted)}, cpus=cpus
        )
        if not _is_int(conf["workers"], wanted):
            wrong.append(
                f"APP_WORKERS={wanted}, {cpus} CPUs: workers = {conf['workers_repr']}"
            )
    t.expect(
        not wrong,
        "with APP_WORKERS set, Gunicorn starts that many workers, 1 included, "
        "whatever the CPUs",
        got="; ".join(wrong),
    )
    wrong = []
    for cpus in counts:
        conf = t.observe(gunicorn_settings, environment={}, cpus=cpus)
        if not _is_int(conf["workers"], cpus):
            wrong.append(f"{cpus} CPUs: workers = {conf['workers_repr']}")
    t.expect(
        not wrong,
        "without APP_WORKERS, one worker per CPU (1, 2 and more)",
        got=f"tried {counts} CPUs: " + "; ".join(wrong),
    )
    conf = t.observe(gunicorn_settings, environment={}, cpus=None)
    t.expect(
        _is_int(conf["workers"], 1)
        and conf["worker_class"] == "uvicorn_worker.UvicornWorker",
        "when the CPU count is unknown (os.cpu_count() is None), 1 Uvicorn worker "
        "(uvicorn_worker.UvicornWorker)",
        got=f"workers = {conf['workers_repr']}, "
        f"worker_class = {conf['worker_class_repr']}",
    )
    given, said = rng.sample(range(2, 41), 2)
    answers = [
        t.observe(workers_for, given=given, environment=environment, cpus=cpus)
        for environment in ({"APP_WORKERS": str(said)}, {})
    ]
    t.expect(
        answers == [repr(given)] * 2,
        "worker_count answers from the settings it is given (a .env file is read "
        "into them too), never from os.environ",
        got=f"settings with workers={given}, APP_WORKERS={said} in os.environ, "
        f"then none: {answers}",
    )


def _stages(text: str) -> list[list[tuple[str, str]]]:
    """Each stage's (INSTRUCTION, arguments): continuations joined, comments out."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    found: list[list[tuple[str, str]]] = []
    for line in filter(str.strip, joined.splitlines()):
        word, _, rest = line.strip().partition(" ")
        if word.upper() == "FROM":
            found.append([])
        if found:
            found[-1].append((word.upper(), rest.strip()))
    return found


def _groups_not_made(runs: str) -> list[str]:
    """The groups a useradd joins (-g, --gid: a number or a name) that no
    groupadd made before it: the build stops there ("group '10001' does not
    exist")."""
    missing = []
    for joined in re.finditer(
        r"\b(?:useradd|adduser)\b[^;&|]*?(?:-g|--gid)[ =]([\w.-]+)", runs
    ):
        group = joined.group(1)
        made = (
            rf"\b(?:groupadd|addgroup)\b[^;&|]*(?<![\w.-]){re.escape(group)}(?![\w.-])"
        )
        if not re.search(made, runs[: joined.start()]):
            missing.append(group)
    return missing


def _healthcheck_command(arguments: str) -> list[str]:
    command = re.sub(r"^(--\S+\s+)*CMD\s+", "", arguments)
    try:
        return [str(part) for part in json.loads(command)]
    except ValueError:
        return shlex.split(command)


def _exit(ran: dict[str, Any], when: str) -> Any:
    """The exit code of one run the report gives (None: it did not end, or the
    report leaves it out)."""
    run = ran.get(when)
    return run.get("exit") if isinstance(run, dict) else None


def _outcome(ran: Any) -> str:
    """'passes', 'fails (exit N: ...)', or why the command did not end (a run
    the report leaves out did not run)."""
    ran = ran if isinstance(ran, dict) else {}
    code, said = ran.get("exit"), str(ran.get("said") or "")
    if code == 0:
        return "passes"
    if code is None:
        return said or "did not run"
    return f"fails (exit {code}{': ' + said[:120] if said else ''})"


@exercise(
    "09.3",
    "An image that does not run as root",
    hints=(
        "USER applies to every instruction after it and to the container's "
        "process. A number can be verified by the platform; a name must be looked "
        "up. The health check is the platform's liveness probe, run inside the "
        "image, where slim Python has no curl.",
        "Create the group and the user with groupadd and useradd (--system, id "
        "10001), switch to them with USER, giving the user id and the group id "
        "as numbers, then add a HEALTHCHECK whose CMD runs python -c with "
        "urllib.request opening http://127.0.0.1:8000/health.",
    ),
    steps=5,
)
def the_image_runs_unprivileged(t: Checker) -> None:
    stages = _stages(t.observe(dockerfile))
    final = stages[-1] if stages else []
    words = [word for word, _ in final]
    users = [(i, args) for i, (word, args) in enumerate(final) if word == "USER"]
    last = users[-1][1].split(":")[0] if users else None
    t.expect(
        last is not None and last.isdigit() and last != "0",
        "the runtime stage ends as a user that is not root, given by number",
        got=f"USER {users[-1][1]}" if users else "no USER in the last stage: root",
    )
    created = [
        i
        for i, (word, args) in enumerate(final)
        if word == "RUN" and re.search(rf"(useradd|adduser)\b.*\b{last}\b", args)
    ]
    runs = "\n".join(args for word, args in final if word == "RUN")
    missing = _groups_not_made(runs)
    t.expect(
        bool(users)
        and bool(created)
        and created[0] < users[-1][0] < words.index("CMD")
        and not missing,
        "the user is created (useradd, in a group made before it) before USER, "
        "and USER comes before CMD",
        got=f"useradd joins group {missing[0]}, which no groupadd made before it"
        if missing
        else f"instructions of the last stage: {' '.join(words)}",
    )
    checks = [args for word, args in final if word == "HEALTHCHECK"]
    command = _healthcheck_command(checks[-1]) if checks else []
    said = " ".join(command)
    t.expect(
        bool(re.search(r"127\.0\.0\.1:8000/health\b(?!/)", said)),
        "the HEALTHCHECK asks the liveness endpoint, http://127.0.0.1:8000/health",
        got=said or "no HEALTHCHECK in the last stage",
    )
    t.expect(
        bool(command) and command[0] in {"python", "python3", "/opt/venv/bin/python"},
        "the HEALTHCHECK runs Python (slim images have no curl or wget)",
        got=said or "no HEALTHCHECK",
    )
    ran = t.observe(healthcheck, arguments=checks[-1]) if checks else None
    if ran is None:
        got = "with /health up it is missing; with the port closed it is missing"
    elif ran["network"] is not True:  # nothing was run: no ✓ for it
        got = f"it could not be run: no local network where the app runs ({ran['why']})"
    else:
        got = (
            f"with /health up it {_outcome(ran.get('live'))}; with /health "
            f"answering 500 it {_outcome(ran.get('sick'))}; with the port closed "
            f"it {_outcome(ran.get('down'))}"
        )
    ok = (
        ran is not None
        and ran["network"] is True
        and _exit(ran, "live") == 0
        and all(
            type(_exit(ran, when)) is int and _exit(ran, when) != 0
            for when in ("sick", "down")
        )
    )
    t.expect(
        ok,
        "run as the image runs it (its Python, the standard library and the "
        "packages of requirements.txt), the HEALTHCHECK passes while /health "
        "answers 200, and fails when it answers 500 and when nothing listens",
        got=got,
    )
