"""The OpenAPI document /docs shows: FastAPI's, with two corrections made once.

- /docs' Authorize form posts to the token route under this app's prefix (the
  scheme is declared once, without it: see app/dependencies.py).
- Every error is documented as a problem: the `Problem` schema joins the
  components, the 422 FastAPI adds to every route that takes input says what
  the service really answers (its own HTTPValidationError is dropped), and
  every route with a body documents the 400 FastAPI answers when it cannot
  read one (bytes that are not UTF-8, JSON nested too deep).
"""

from typing import Any

from fastapi import FastAPI
from pydantic.json_schema import models_json_schema

from app.problems import PROBLEM_JSON, Problem
from app.routers.responses import problem

REF = "#/components/schemas/{model}"


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """Built on first use, then cached on the app, as FastAPI.openapi does."""
    if app.openapi_schema is None:
        schema = FastAPI.openapi(app)
        password = schema["components"]["securitySchemes"]["OAuth2PasswordBearer"]
        token_url = f"{app.state.settings.api_prefix}/auth/token"
        password["flows"]["password"]["tokenUrl"] = token_url
        document_problems(schema)
    return app.openapi_schema or {}


def document_problems(schema: dict[str, Any]) -> None:
    _, problems = models_json_schema([(Problem, "serialization")], ref_template=REF)
    components = schema["components"]["schemas"]
    components.update(problems["$defs"])
    for operations in schema["paths"].values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation["responses"].update(problem(400))
            validation = operation["responses"].get("422", {})
            if validation and PROBLEM_JSON not in validation.get("content", {}):
                operation["responses"]["422"] = problem(422)[422]
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
