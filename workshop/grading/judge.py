"""Judging a lesson outside its sandbox: the check here, the attendee's app there.

For a lesson in `JUDGED_OUTSIDE`, the grader runs the lesson's checks in its own
process, where no attendee code is loaded, with a `RemoteChecker`: `t.app()`
builds the app in the sandbox and gives back a handle, `t.client()` sends each
HTTP request there and rebuilds the answer here from its status, headers and
body, `t.call()` calls a function of the app and brings back what it returned
or raised as plain data (workshop.checking.Called), `t.observe()` runs one of
the workshop's observations there (workshop.exercises.observations) and brings
back what it saw, as plain data. Only inputs the check chose
go in (settings, requests, arguments); expected values, random draws and
solutions stay here. The sandbox (workshop.grading.observer) can answer wrongly,
or not at all, and that fails its own checks; it cannot write a verdict, since
none is made there. Lessons not listed still run their checks in the sandbox
(workshop.grading.worker), with the guarantees INSTRUCTORS.md states for them.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import importlib.abc
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx

from workshop import answers, child, timeouts
from workshop.checking import (
    Called,
    Checker,
    Result,
    all_exercises,
    explain,
    lesson_of,
    observation_name,
)
from workshop.grading.channel import Gone, Lines, expect

# The lessons whose checks run in the grader's process, talking to the sandbox
# over the channel; every other lesson's checks run inside its sandbox.
JUDGED_OUTSIDE = frozenset(range(1, 11))
BASE_URL = "http://testserver"  # the host a TestClient gives its requests


class Raised(Exception):
    """The app raised while doing what the judge asked; the text says what and
    where, as the sandbox explained it."""


class Remote:
    """The judge's end of the channel: one request, then its answer, by a deadline."""

    def __init__(self, requests: int, answers_fd: int, deadline: float) -> None:
        self.requests, self.deadline = requests, deadline
        self.lost = ""  # why the channel broke: every later request fails with it
        self.lines = Lines(answers_fd, deadline)
        flags = fcntl.fcntl(requests, fcntl.F_GETFL)
        fcntl.fcntl(requests, fcntl.F_SETFL, flags | os.O_NONBLOCK)

    def _send(self, message: dict[str, Any]) -> None:
        import json

        data = (json.dumps(message) + "\n").encode()
        while data:
            left = self.deadline - time.monotonic()
            if left <= 0 or not select.select([], [self.requests], [], left)[1]:
                raise Gone("the app's process stopped reading")
            try:
                data = data[os.write(self.requests, data) :]
            except BlockingIOError:
                continue
            except OSError:
                raise Gone("the app's process ended") from None

    def ask(self, op: str, **arguments: Any) -> dict[str, Any]:
        """The answer to one request; Raised when the app raised doing it."""
        if self.lost:
            raise Gone(self.lost)
        try:
            self._send({"op": op, **arguments})
            answer = self.lines.read()
        except Gone as error:
            self.lost = str(error)
            raise
        if "raised" in answer:
            raise Raised(expect(answer, raised=str)["raised"])
        return answer


class RemoteApp:
    """An app built in the sandbox, known here by its number."""

    def __init__(self, remote: Remote, number: int) -> None:
        self.remote, self.number = remote, number

    def openapi(self) -> Any:
        """The app's OpenAPI document, as JSON data."""
        return self.remote.ask("openapi", app=self.number).get("value")


class RemoteClient:
    """A TestClient in the sandbox: requests made here, answers rebuilt here."""

    def __init__(
        self, remote: Remote, number: int, errors: answers.ServerErrors
    ) -> None:
        self.remote, self.number, self.errors = remote, number, errors

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        request = httpx.Request(method, BASE_URL + url, **options)
        headers = [
            [k, v]
            for k, v in request.headers.multi_items()
            if k.lower() not in {"host", "content-length"}
        ]
        answer = expect(
            self.remote.ask(
                "request",
                client=self.number,
                method=method,
                target=request.url.raw_path.decode("ascii"),
                headers=headers,
                body=base64.b64encode(request.read()).decode(),
            ),
            status=int,
            headers=list,
            body=str,
            server_error=str,
        )
        if not 100 <= answer["status"] <= 599:
            raise Gone("an answer with no HTTP status")
        pairs = answer["headers"]
        if not all(
            type(p) is list and len(p) == 2 and all(type(x) is str for x in p)
            for p in pairs
        ):
            raise Gone("an answer with headers that are not text")
        try:
            body = base64.b64decode(answer["body"], validate=True)
        except (binascii.Error, ValueError):
            raise Gone("an answer whose body is not base64") from None
        if answer["server_error"]:  # the exception behind a 500, explained
            self.errors.raised.append(Raised(answer["server_error"]))
        return httpx.Response(
            answer["status"],
            headers=[(k, v) for k, v in pairs],
            content=body,
            request=request,
        )

    def get(self, url: str, **options: Any) -> httpx.Response:
        return self.request("GET", url, **options)

    def post(self, url: str, **options: Any) -> httpx.Response:
        return self.request("POST", url, **options)

    def put(self, url: str, **options: Any) -> httpx.Response:
        return self.request("PUT", url, **options)

    def patch(self, url: str, **options: Any) -> httpx.Response:
        return self.request("PATCH", url, **options)

    def delete(self, url: str, **options: Any) -> httpx.Response:
        return self.request("DELETE", url, **options)


class RemoteChecker(Checker):
    """A Checker whose app lives in the sandbox: the same checks, judged here."""

    def __init__(self, remote: Remote) -> None:
        super().__init__()
        self.remote = remote

    def settings(self, **values: Any) -> Any:
        raise TypeError("a check judged outside passes settings to t.app(...)")

    def app(self, **values: Any) -> RemoteApp:
        answer = expect(self.remote.ask("build", settings=values), app=int)
        return RemoteApp(self.remote, answer["app"])

    @contextmanager
    def client(self, app: Any = None) -> Iterator[Any]:
        app = self.app() if app is None else app
        if not isinstance(app, RemoteApp):
            raise TypeError("a check judged outside makes its apps with t.app(...)")
        self.errors = answers.ServerErrors(None, str)
        number = expect(self.remote.ask("open", app=app.number), client=int)["client"]
        try:
            yield RemoteClient(self.remote, number, self.errors)
        finally:
            self.remote.ask("close", client=number)

    def call(self, target: str, **arguments: Any) -> Called:
        answer = expect(
            self.remote.ask("call", target=target, arguments=arguments), called=dict
        )["called"]
        answer = expect(
            answer,
            raised=bool,
            type=str,
            plain=bool,
            message=str,
            errors=list,
        )
        if not all(type(e) is str for e in answer["errors"]):
            raise Gone("an answer whose error types are not text")
        return Called(
            answer["raised"],
            answer["type"],
            answer.get("returned") if answer["plain"] else None,
            answer["plain"],
            answer["message"],
            tuple(answer["errors"]),
        )

    def observe(self, function: Callable[..., Any], **arguments: Any) -> Any:
        return self.remote.ask(
            "observe", name=observation_name(function), arguments=arguments
        ).get("value")


class AppImported(ImportError):
    """A check judged outside reached for the app in the grader's process."""


class NoApp(importlib.abc.MetaPathFinder):
    """Refuses `app` imports while a check is judged: the app the grader could
    import is not the attendee's, and attendee code never runs here."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "app" or name.startswith("app."):
            raise AppImported(
                f"a check judged outside imported {name}: it reaches the app "
                "through t.app, t.client, t.call or t.observe"
            )
        return None


@contextmanager
def without_app() -> Iterator[None]:
    """No `app` module importable (or already imported) while the check runs."""
    kept = {
        name: sys.modules.pop(name)
        for name in list(sys.modules)
        if name == "app" or name.startswith("app.")
    }
    finder = NoApp()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for name in [n for n in sys.modules if n == "app" or n.startswith("app.")]:
            del sys.modules[name]
        sys.modules.update(kept)


def judge_exercise(exercise_id: str, remote: Remote) -> Result:
    """One check, run here against the app in the sandbox."""
    if lesson_of(exercise_id) not in JUDGED_OUTSIDE:  # its checks import the app
        raise ValueError(f"{exercise_id} is not judged outside its sandbox")
    ex = all_exercises()[exercise_id]
    checker = RemoteChecker(remote)
    result = Result(
        ex.id, ex.title, ex.hint, checker.steps, hints=list(ex.hints), expected=ex.steps
    )
    try:
        begun = expect(
            remote.ask("begin", exercise=ex.id, env=ex.env),
            blocked=(str, type(None)),
            error=(str, type(None)),
        )
        if begun["blocked"] is not None:
            result.error = begun["error"] or begun["blocked"]
            result.blocked = begun["blocked"]
            return result
        with without_app():
            ex.function(checker)
    except (Raised, Gone) as error:
        result.error = str(error)
    except Exception as error:
        result.error = explain(error)
    return result


def judge_all(exercises: tuple[str, ...], remote: Remote) -> list[dict[str, Any]]:
    """Each exercise's result, as the records of a job carry them."""
    return [asdict(judge_exercise(e, remote)) for e in exercises]


def judge_in_child(
    root: Path, exercise_id: str, timeout: float = timeouts.CHECK
) -> Result:
    """A check judged here against the app in `root`, served by a plain child
    process (no sandbox): how the tests show that a check judged outside passes
    the solution and refuses the stubs and wrong answers, as it does beside the
    app."""
    requests_in, requests_out = os.pipe()
    answers_in, answers_out = os.pipe()
    code = (
        "import os; from workshop.grading import observer; "
        f"observer.serve({requests_in}, {answers_out}, dict(os.environ), lambda: None)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=root,
        env=child.environment(no_bytecode=True),
        pass_fds=(requests_in, answers_out),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(requests_in)
    os.close(answers_out)
    try:
        remote = Remote(requests_out, answers_in, time.monotonic() + timeout)
        return judge_exercise(exercise_id, remote)
    finally:
        os.close(requests_out)  # the child's observer ends on this
        os.close(answers_in)
        try:
            process.wait(timeout=timeouts.scaled(10))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
