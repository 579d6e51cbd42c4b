"""One envelope for every error: RFC 9457 problem details, whatever went wrong.

Each kind of error the service can answer is provoked once, and its body read
with `problem()`, which checks the envelope's rules. Unexpected errors, oversized
bodies and validation errors get tests of their own: they are where a service
leaks (a stack trace, a password) or stalls (a body read in full).
"""

import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2
import pytest
from conftest import PASSWORD, Account
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient
from postgres_server import free_port
from problem_details import problem

from app import http_errors
from app.config import Settings
from app.main import create_app
from app.problems import PROBLEM_JSON, TYPES, VALIDATION
from app.routers.users import SIGN_UP_MAX_BYTES

USERS, ITEMS, ME = "/api/v1/users", "/api/v1/items", "/api/v1/users/me"
REFRESH = "/api/v1/auth/refresh"  # open to anyone, with the app's body limit
UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
)


def about_blank(status: int, title: str, detail: str) -> dict[str, Any]:
    return {"type": "about:blank", "title": title, "status": status, "detail": detail}


def test_a_domain_error_is_a_problem_of_its_own_type(
    client: TestClient, ada: Account
) -> None:
    response = client.get(f"{ITEMS}/7", headers=ada.headers)
    assert problem(response) == {
        "type": TYPES + "not-found",  # no such item; about:blank: no such URL
        "title": "Not Found",
        "status": 404,
        "detail": "There is no item 7.",
    }
    assert response.json()["instance"] == f"{ITEMS}/7"


def test_an_unknown_path_and_a_wrong_method_are_problems(client: TestClient) -> None:
    assert problem(client.get("/api/v2/info")) == about_blank(
        404, "Not Found", "Not Found"
    )
    response = client.delete("/health")
    assert problem(response) == about_blank(
        405, "Method Not Allowed", "Method Not Allowed"
    )
    assert response.headers["Allow"] == "GET"  # RFC 9110 §15.5.6
    both = client.put(USERS)  # GET lists the users, POST signs up
    assert (both.status_code, both.headers["Allow"]) == (405, "GET, POST")


def test_allow_holds_under_a_root_path(settings: Settings) -> None:
    """Behind a proxy that serves the API under /svc, Uvicorn (--root-path /svc)
    puts the root path in front of the path the app receives."""
    with TestClient(create_app(settings), root_path="/svc") as client:
        both = client.put("/svc" + USERS)
        one = client.delete("/svc/health")
    assert (problem(both)["status"], both.headers["Allow"]) == (405, "GET, POST")
    assert (problem(one)["status"], one.headers["Allow"]) == (405, "GET")


def test_an_httpexception_below_400_keeps_its_status_and_headers(
    settings: Settings,
) -> None:
    """A redirect or a 304 is not an error: no problem, and no 500 either."""
    app = create_app(settings)

    @app.get("/moved/{code}")
    async def moved(code: int) -> None:
        raise HTTPException(code, headers={"Location": "/health"})

    with TestClient(app) as client:
        for code in (301, 303, 304, 307, 308):
            response = client.get(f"/moved/{code}", follow_redirects=False)
            assert (response.status_code, response.content) == (code, b"")
            assert response.headers["Location"] == "/health"
            assert "X-Request-ID" in response.headers


def test_the_app_is_never_in_debug_mode(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FastAPI(debug=True) answers a bug with its traceback, in plain text, and
    never calls the 500 handler: no setting, nor variable, may turn it on."""
    monkeypatch.setenv("APP_DEBUG", "true")
    monkeypatch.setenv("DEBUG", "true")
    from_env = Settings(
        _env_file=None, environment="test", database_url=settings.database_url
    )
    assert create_app(from_env).debug is False


def test_refusals_keep_the_headers_http_asks_for(
    client: TestClient, ada: Account, settings: Settings
) -> None:
    response = client.get(ME)
    assert problem(response) == about_blank(401, "Unauthorized", "Not authenticated")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    expired = client.get(ME, headers={"Authorization": "Bearer not-a-token"})
    assert problem(expired)["type"] == TYPES + "unauthenticated"
    assert expired.headers["WWW-Authenticate"] == "Bearer"
    users = client.get(USERS, headers=ada.headers)
    assert problem(users)["type"] == TYPES + "permission-denied"
    assert problem(users)["title"] == "Forbidden"
    for _ in range(settings.login_free_attempts):
        client.post(
            "/api/v1/auth/token",
            data={"username": "ada@example.com"} | {"password": "a wrong guess"},
        )
    throttled = client.post(
        "/api/v1/auth/token", data={"username": "ada@example.com", "password": PASSWORD}
    )
    assert problem(throttled)["title"] == "Too Many Requests"
    assert problem(throttled)["type"] == TYPES + "too-many-attempts"
    assert throttled.headers["Retry-After"] == "1"


def test_the_last_administrator_and_a_full_hash_queue_have_types_of_their_own(
    app: FastAPI, client: TestClient, admin: Account, ada: Account
) -> None:
    last = client.delete(f"{USERS}/{admin.id}", headers=admin.headers)
    assert problem(last)["type"] == TYPES + "last-administrator"
    assert problem(last)["title"] == "Conflict"
    passwords = app.state.passwords
    passwords.pending = passwords.capacity  # as if that many hashes were waiting
    try:
        busy = client.post(
            "/api/v1/auth/token",
            data={"username": "ada@example.com", "password": PASSWORD},
        )
    finally:
        passwords.pending = 0
    assert problem(busy)["type"] == TYPES + "overloaded"
    assert problem(busy)["title"] == "Service Unavailable"
    assert busy.headers["Retry-After"] == "1"


def test_a_validation_error_lists_each_field_and_where_it_is(
    client: TestClient,
) -> None:
    sent = {"email": "ada@example", "full_name": "", "password": "hunter2, short"}
    response = client.post(USERS, json=sent)
    body = problem(response)
    assert (body["type"], body["status"]) == (VALIDATION, 422)
    assert body["detail"] == "3 values are not valid."
    assert [(e["location"], e["pointer"], e["code"]) for e in body["errors"]] == [
        ("body", "#/email", "value_error"),
        ("body", "#/full_name", "string_too_short"),
        ("body", "#/password", "string_too_short"),
    ]
    query = problem(client.get(f"{ITEMS}/x"))
    assert query["status"] == 401  # who you are comes before what you sent


def test_the_password_rule_answers_in_one_shape(
    client: TestClient, ada: Account
) -> None:
    """The schema checks it at sign-up, the service when a password changes (the
    service's Invalid): a client reads one problem either way."""
    weak = "ada, this one is mine"  # holds the name in ada@example.com
    signing_up = {"email": "ada@example.com", "full_name": "Ada", "password": weak}
    changing = {"password": weak, "current_password": PASSWORD}
    first = problem(client.post(USERS, json=signing_up))
    second = problem(client.patch(ME, json=changing, headers=ada.headers))
    assert first == second
    assert (first["type"], first["status"]) == (VALIDATION, 422)
    assert first["errors"] == [
        {
            "location": "body",
            "pointer": "#",
            "detail": "Value error, the password must not contain the name in the email",
            "code": "value_error",
        }
    ]


def test_parameters_are_named_and_bodies_pointed_into(
    client: TestClient, admin: Account
) -> None:
    page = problem(client.get(USERS, params={"limit": 0}, headers=admin.headers))
    assert page["errors"] == [
        {
            "location": "query",
            "parameter": "limit",
            "detail": "Input should be greater than or equal to 1",
            "code": "greater_than_equal",
        }
    ]
    bad = {"name": "Tea", "price_cents": 1, "sku": "TEA-0001", "a/b~c": 1}
    extra = problem(client.post(ITEMS, json=bad, headers=admin.headers))
    assert extra["errors"][0]["pointer"] == "#/a~1b~0c"  # RFC 6901 escapes


def test_a_validation_error_never_shows_a_secret(
    client: TestClient, ada: Account, caplog: pytest.LogCaptureFixture
) -> None:
    """Not in the body, not in any log line: whatever field it was sent in."""
    secret = "my secret is ada"  # too short, and holds the email's name
    caplog.set_level(logging.DEBUG)
    answers = [
        client.post(USERS, json={"email": "ada@example.com", "password": secret}),
        client.post(
            USERS,
            json={
                "email": "x@example.com",
                "full_name": "",
                "password": secret * 2,
            },
        ),
        client.patch(ME, json={"current_password": secret * 20}, headers=ada.headers),
        client.post("/api/v1/auth/refresh", json={"refresh_token": secret * 300}),
    ]
    for response in answers:
        assert response.status_code == 422
        assert secret not in response.text
    assert all(secret not in record.getMessage() for record in caplog.records)


def test_what_the_client_wrote_is_cut_short(client: TestClient) -> None:
    long_name = "x" * 5000
    body = problem(client.post(USERS, json={long_name: 1}))
    pointers = [error["pointer"] for error in body["errors"]]
    assert all(len(pointer) <= 200 for pointer in pointers)
    many = problem(client.post(USERS, json={f"field{n}": n for n in range(50)}))
    assert len(many["errors"]) == 20
    assert many["detail"] == "53 values are not valid; the first 20 are listed."


def test_only_the_errors_listed_are_built(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of unknown keys fit in a small body: each is an error, and
    building every one of them would hold the event loop."""
    built: list[dict[str, Any]] = []
    build = http_errors.field_error
    monkeypatch.setattr(
        http_errors, "field_error", lambda error: built.append(error) or build(error)
    )
    body = problem(client.post(REFRESH, json={f"field{n}": n for n in range(3000)}))
    assert body["detail"] == "3001 values are not valid; the first 20 are listed."
    assert len(body["errors"]) == len(built) == http_errors.MAX_ERRORS


def test_very_deep_json_is_a_problem_not_a_stalled_worker(client: TestClient) -> None:
    deep = b"[" * 32_000 + b"]" * 32_000  # within the default limit
    response = client.post(
        USERS, content=deep, headers={"content-type": "application/json"}
    )
    assert problem(response)["status"] == 400


def unknown_keys(count: int) -> bytes:
    """A JSON object of `count` short, distinct keys: many errors per byte."""
    return ("{" + ",".join(f'"{n:x}":0' for n in range(count)) + "}").encode()


def test_the_default_limit_refuses_a_body_of_100_000_unknown_keys(
    client: TestClient,
) -> None:
    """Under 1 MiB, and 100,000 validation errors to build: refused unread."""
    attack = unknown_keys(100_000)
    assert len(attack) < 1024 * 1024
    response = client.post(
        USERS, content=attack, headers={"content-type": "application/json"}
    )
    assert problem(response)["status"] == 413


def test_the_most_keys_the_limit_lets_in_get_a_short_answer(
    client: TestClient, settings: Settings
) -> None:
    count = (settings.max_body_bytes - 2) // 9  # '"abcd":0,' is at most 9 bytes
    body = unknown_keys(count)
    assert len(body) <= settings.max_body_bytes
    response = client.post(
        REFRESH, content=body, headers={"content-type": "application/json"}
    )
    found = problem(response)
    assert found["detail"].startswith(f"{count + 1} values are not valid")
    assert len(found["errors"]) == http_errors.MAX_ERRORS
    assert len(response.content) < 4096


def test_the_largest_valid_body_is_within_the_default_limit(
    client: TestClient, settings: Settings
) -> None:
    """A refresh token of 4,096 characters outside the BMP, each sent as a
    \\u escape pair: the largest body the schemas accept, read and answered."""
    largest = json.dumps({"refresh_token": "\U0001f600" * 4096}).encode()
    assert len(largest) <= settings.max_body_bytes
    response = client.post(
        "/api/v1/auth/refresh",
        content=largest,
        headers={"content-type": "application/json"},
    )
    assert problem(response)["status"] == 401  # read, and not a token of ours


class TestTooLarge:
    """A body over `max_body_bytes` is refused, announced or not, before it is read
    in full; a body at the limit is read."""

    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"max_body_bytes": 1000})

    def test_an_announced_body_is_refused_before_any_route_runs(
        self, client: TestClient, ada: Account
    ) -> None:
        item = {"name": "Tea", "price_cents": 1, "sku": "TEA-0001"}
        padded = {**item, "description": "x" * 1000}  # valid, too big
        response = client.post(ITEMS, json=padded, headers=ada.headers)
        assert problem(response) == about_blank(
            413, "Content Too Large", "The request body may hold at most 1000 bytes."
        )
        assert client.get(ITEMS, headers=ada.headers).json()["total"] == 0
        body = json.dumps({**item, "description": ""})
        at_the_limit = body.replace('""', '"' + "x" * (1000 - len(body)) + '"')
        created = client.post(
            ITEMS,
            content=at_the_limit,
            headers={**ada.headers, "content-type": "application/json"},
        )
        assert int(created.request.headers["content-length"]) == 1000
        assert created.status_code == 201

    async def test_a_chunked_body_is_refused_at_the_chunk_that_crosses(
        self, settings: Settings
    ) -> None:
        """httpx2's ASGI transport hands the body over chunk by chunk, as a server
        does (TestClient reads it all first, so it cannot show this)."""
        sent: list[int] = []

        async def chunks() -> AsyncIterator[bytes]:
            for n in range(100):
                sent.append(n)
                yield b'{"name": "' if n == 0 else b"x" * 500

        app = create_app(settings)
        transport = httpx2.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx2.AsyncClient(transport=transport, base_url="http://test") as api,
        ):
            response = await api.post(
                USERS, content=chunks(), headers={"content-type": "application/json"}
            )
        assert "content-length" not in response.request.headers
        assert problem(response)["status"] == 413
        assert len(sent) == 3  # the 3rd chunk crossed 1,000 bytes: no more was read


def test_sign_up_has_a_smaller_limit_of_its_own(
    client: TestClient, ada: Account
) -> None:
    """Over its own limit, sign-up answers 413 before the body is validated (not
    422); the largest sign-up a JSON encoder writes fits; other routes keep the
    app's limit."""
    limit, as_json = SIGN_UP_MAX_BYTES, {"content-type": "application/json"}
    local, domain = "a" * 64, ".".join(["b" * 63, "c" * 63, "d" * 57, "com"])
    largest = {"email": f"{local}@{domain}", "full_name": "😀" * 100}
    body = json.dumps({**largest, "password": "😀" * 128})  # 12 bytes an emoji
    assert client.post(USERS, content=body, headers=as_json).status_code == 201
    signup = {"email": "grace@example.com", "password": PASSWORD}
    unknown = json.dumps(signup | {f"x{n}": 0 for n in range(limit // 12)})
    over = unknown + " " * (limit + 1 - len(unknown))  # read, it would be a 422
    assert len(over) == limit + 1
    response = client.post(USERS, content=over, headers=as_json)
    assert problem(response) == about_blank(
        413, "Content Too Large", f"The request body may hold at most {limit} bytes."
    )
    named = json.dumps({**signup, "full_name": "Grace"})
    at_the_limit = named + " " * (limit - len(named))  # JSON allows the spaces
    created = client.post(USERS, content=at_the_limit, headers=as_json)
    assert int(created.request.headers["content-length"]) == limit
    assert created.status_code == 201
    item = json.dumps({"name": "Tea", "price_cents": 1, "sku": "TEA-0001"})
    padded = item + " " * (4 * limit)  # far over sign-up's, under the app's
    headers = {**ada.headers, **as_json}
    assert client.post(ITEMS, content=padded, headers=headers).status_code == 201


@pytest.fixture
def failing_app(settings: Settings) -> FastAPI:
    """The app with one more route, a bug on purpose, whose message holds a secret."""
    app = create_app(settings)

    @app.get("/fails")
    async def fails() -> None:
        raise RuntimeError("connection to postgresql://app:s3cret@db failed")

    return app


@pytest.fixture
def unsafe_client(failing_app: FastAPI) -> Iterator[TestClient]:
    """A client that gets the 500 a real one would, not the server's exception."""
    with TestClient(failing_app, raise_server_exceptions=False) as client:
        yield client


def test_a_bug_is_a_500_with_an_id_and_no_story(
    unsafe_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = unsafe_client.get("/fails")
    assert problem(response) == about_blank(
        500,
        "Internal Server Error",
        "Something went wrong on our side. If it happens again, "
        "tell us the request_id.",
    )
    for leak in ("s3cret", "RuntimeError", "Traceback", "fails()"):
        assert leak not in response.text
    request_id = response.headers["X-Request-ID"]
    assert UUID.fullmatch(request_id)
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert request_id in record.getMessage()
    assert record.exc_info is not None and "s3cret" in str(record.exc_info[1])


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("checkout-7f3a", True),
        ("0b6c2c70-5f1e-4a0e-9a51-3f1f0c1f9a55", True),
        ("x" * 64, True),
        ("x" * 65, False),
        ("two words", False),
        ("<script>", False),
        ("", False),
    ],
)
def test_a_safe_request_id_is_kept_and_any_other_replaced(
    unsafe_client: TestClient, sent: str, kept: bool
) -> None:
    response = unsafe_client.get("/fails", headers={"X-Request-ID": sent})
    request_id = response.headers["X-Request-ID"]
    assert (request_id == sent) is kept
    assert kept or UUID.fullmatch(request_id)
    assert response.json()["request_id"] == request_id


def test_every_request_gets_its_own_id(client: TestClient) -> None:
    ids = {client.get("/health").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5


def test_every_error_is_documented_as_a_problem(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"413", "500"} <= responses.keys(), (method, path)
            for status, response in responses.items():
                if int(status) >= 400:
                    schema = response["content"][PROBLEM_JSON]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Problem"}


def ask(port: int, request: bytes) -> bytes:
    """What a server on 127.0.0.1:port answers to raw bytes, read until it closes."""
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(request)
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_a_request_uvicorn_cannot_parse_never_reaches_the_app(
    database_url: str,
) -> None:
    """The one exception to the envelope: Uvicorn answers it itself, in plain text."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "app.main:create_app"]
    environment = {**os.environ, "APP_DATABASE_URL": database_url}
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        env={**environment, "APP_ENVIRONMENT": "test"},
        stderr=subprocess.DEVNULL,
    )
    try:
        health = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        for _ in range(1200):  # a limit for a busy machine, never a measure
            try:
                assert b"x-request-id" in ask(port, health + b"\r\n")
                break
            except OSError:
                assert server.poll() is None, "uvicorn stopped"
                time.sleep(0.1)
        else:
            pytest.fail("uvicorn did not start")
        for bad in (
            b"GARBAGE\r\n",
            health + b"Bad Name: 1\r\n",
            health + b"A: 1\rB: 2\r\n",
        ):
            head, _, body = ask(port, bad + b"\r\n").partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 400 "), head
            assert b"content-type: text/plain" in head and b"x-request-id" not in head
            assert body == b"Invalid HTTP request received."
    finally:
        server.terminate()
        server.wait(60)
