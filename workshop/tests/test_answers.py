"""A check's ✗ line says what came back: status, short body, or the error behind a 500."""

import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from workshop import checking
from workshop.answers import UnexpectedAnswer, short


def probe() -> FastAPI:
    app = FastAPI()

    @app.get("/ok")
    async def ok() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/text")
    async def text() -> PlainTextResponse:
        return PlainTextResponse("not json")

    @app.get("/boom")
    async def boom() -> None:
        {}["version"]

    return app


def test_status_records_what_came_back() -> None:
    t = checking.Checker()
    with t.client(probe()) as client:
        assert t.status(client.get("/ok"), 200, "GET /ok answers")
        assert not t.status(client.get("/nowhere"), 200, "GET /nowhere answers")
        assert not t.status(client.get("/boom"), 200, "GET /boom answers")
    ok, missing, boom = t.steps
    assert (ok.ok, ok.text, ok.got) == (True, "GET /ok answers (200)", "")
    assert missing.got == '404 {"detail":"Not Found"}'
    assert boom.got.startswith("500, raised by KeyError: 'version'")
    assert "test_answers.py" not in boom.got  # only the app's own files are named


def test_json_names_the_status_and_a_short_body_never_a_decode_error() -> None:
    t = checking.Checker()
    with t.client(probe()) as client:
        assert t.json(client.get("/ok")) == {"status": "ok"}
        with pytest.raises(UnexpectedAnswer) as missing:
            t.json(client.get("/nowhere", params={"page": 2}))
        with pytest.raises(UnexpectedAnswer) as text:
            t.json(client.get("/text"))
    assert str(missing.value) == (
        'GET /nowhere?page=2 answered 404 {"detail":"Not Found"}'
    )
    assert str(text.value) == (
        "GET /text answered 200 with a body that is not JSON: not json"
    )
    for error in (missing.value, text.value):
        assert "testserver" not in str(error) and "Expecting value" not in str(error)
        assert checking.explain(error) == str(error)


def test_a_long_body_is_cut_on_one_line() -> None:
    assert short("a\n  b") == "a b"
    cut = short("x" * 500)
    assert len(cut) == 100 and cut.endswith("…")


def problems() -> FastAPI:
    """Errors in the two shapes the lessons use: FastAPI's, then RFC 9457's."""
    from uuid import uuid4

    from fastapi.responses import JSONResponse

    app = probe()

    @app.get("/items/{item_id}")
    async def problem(item_id: int) -> JSONResponse:
        body = {
            "type": "about:blank",
            "title": "Not Found",
            "status": 404,
            "detail": f"There is no item {item_id}.",
            "instance": f"/items/{item_id}",
            "request_id": str(uuid4()),
        }
        return JSONResponse(body, 404, media_type="application/problem+json")

    @app.get("/invalid")
    async def invalid() -> JSONResponse:
        error = {"location": "query", "parameter": "limit", "detail": "too big"}
        body = {"title": "Not valid", "status": 422, "detail": "1 value is not valid."}
        return JSONResponse({**body, "errors": [error]}, 422)

    return app


def test_errors_read_the_same_in_both_shapes() -> None:
    from workshop import answers

    t = checking.Checker()
    with t.client(problems()) as client:
        fastapi_shape = client.get("/nowhere")
        seven, eight = client.get("/items/7"), client.get("/items/8")
        invalid = client.get("/invalid")
    assert answers.error_message(fastapi_shape) == "Not Found"
    assert answers.error_message(seven) == "There is no item 7."
    assert answers.error_body(fastapi_shape) == {"detail": "Not Found"}
    assert answers.error_body(seven) == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "There is no item 7.",
    }
    assert answers.error_body(seven) != answers.error_body(eight)
    assert t.describe(seven) == "404 Not Found: There is no item 7."
    assert t.describe(invalid) == (
        "422 Not valid: 1 value is not valid. (limit: too big)"
    )
