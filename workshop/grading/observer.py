"""The sandbox's side of a judged lesson: do what the judge asks, say what happened.

In a job whose lesson is judged outside (workshop.grading.judge), no check runs
in the sandbox. The job serves requests instead: build the app with these
settings, send it this HTTP request, call this function with these arguments,
make this observation (workshop.exercises.observations).
Each answer is plain data (a status, headers and body; what a call returned or
raised) written on the answer pipe; the judge decides. Attendee code in this
process can change what it answers, as its app could, and nothing else: no
verdict, expected value or solution is here to read or to replace.
"""

from __future__ import annotations

import base64
import contextlib
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from workshop import answers, syntax
from workshop.checking import app_settings, call, explain, observe
from workshop.child import forget_app_modules
from workshop.grading.channel import Gone, Lines, write_line

Report = Callable[[], None]
REQUESTS_FD, ANSWERS_FD = 4, 5  # in the job (workshop.grading.jobprocess)


class Observer:
    """The apps and test clients one exercise has made, by number."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.apps: dict[int, Any] = {}
        self.clients: dict[int, tuple[Any, answers.ServerErrors]] = {}

    def reset(self) -> None:
        for client, _ in self.clients.values():
            with contextlib.suppress(BaseException):  # the app's own shutdown
                client.__exit__(None, None, None)
        self.apps.clear()
        self.clients.clear()

    def begin(self, exercise: str, env: dict[str, str]) -> dict[str, Any]:
        """A fresh start for an exercise: its environment, the app's files re-read."""
        self.reset()
        forget_app_modules()
        os.environ.clear()
        os.environ.update({**self.env, **env})
        broken = syntax.first_broken(Path.cwd())
        if broken is None:
            return {"blocked": None, "error": None}
        return {"blocked": f"{broken.path} does not import", "error": broken.message}

    def build(self, settings: dict[str, Any]) -> dict[str, Any]:
        from app.main import create_app

        number = len(self.apps) + 1
        self.apps[number] = create_app(app_settings(**settings))
        return {"app": number}

    def openapi(self, app: int) -> dict[str, Any]:
        return {"value": self.apps[app].openapi()}

    def open(self, app: int) -> dict[str, Any]:
        from fastapi.testclient import TestClient

        errors = answers.ServerErrors(self.apps[app], explain)
        client = TestClient(errors, raise_server_exceptions=False)
        client.__enter__()
        number = len(self.clients) + 1
        self.clients[number] = (client, errors)
        return {"client": number}

    def close(self, client: int) -> dict[str, Any]:
        opened, _ = self.clients.pop(client)
        opened.__exit__(None, None, None)
        return {}

    def request(
        self, client: int, method: str, target: str, headers: list[Any], body: str
    ) -> dict[str, Any]:
        opened, errors = self.clients[client]
        response = opened.request(
            method,
            target,
            headers=[(str(k), str(v)) for k, v in headers],
            content=base64.b64decode(body),
        )
        raised = errors.last() if response.status_code >= 500 else ""
        return {
            "status": response.status_code,
            "headers": [[k, v] for k, v in response.headers.multi_items()],
            "body": base64.b64encode(response.content).decode(),
            "server_error": raised,
        }

    def call(self, target: str, arguments: dict[str, Any]) -> dict[str, Any]:
        called = asdict(call(target, arguments))
        called["errors"] = list(called["errors"])
        return {"called": called}

    def observe(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        return {"value": observe(name, arguments)}

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.pop("op", None)
        ops = {"begin", "build", "openapi", "open", "close", "request", "call"}
        if op not in ops | {"observe"}:
            return {"raised": f"no such request: {op!r}"}
        try:
            answer: dict[str, Any] = getattr(self, str(op))(**request)
        except BaseException as error:  # SystemExit too: the app's answer
            if isinstance(error, KeyboardInterrupt):
                raise
            return {"raised": explain(error)}
        return answer


def serve(requests: int, answers_fd: int, env: dict[str, str], each: Report) -> None:
    """Answer requests until the judge closes its end; `each` runs before every
    exercise after the first (the job's integrity check)."""
    observer = Observer(env)
    lines = Lines(requests)
    begun = False
    while True:
        try:
            request = lines.read()
        except Gone:
            break
        if request.get("op") == "begin":
            if begun:
                each()
            begun = True
        answer = observer.answer(request)
        try:
            write_line(answers_fd, answer)
        except (TypeError, ValueError, RecursionError):
            write_line(answers_fd, {"raised": "an answer that is not JSON data"})
    observer.reset()
