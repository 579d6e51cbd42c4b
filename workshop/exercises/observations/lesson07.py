"""What the checks of 07 · Testing observe where the app runs (workshop.exercises.lesson07)."""

from __future__ import annotations

import enum
import importlib.util
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from workshop.checking import observation

# The field types a check may ask for by name; "enum" is an enum of `choices`.
KINDS: dict[str, Any] = {
    "int": int,
    "bool": bool,
    "float": float,
    "list[int]": list[int],
    "datetime": datetime,
    "uuid": uuid.UUID,
}


@observation
def input_model_refuses(
    fields: dict[str, str], choices: list[str], bodies: list[dict[str, Any]]
) -> list[list[str]]:
    """A model built on the app's InputModel with `fields` (name: kind), given
    each body as FastAPI gives a decoded JSON body (Python mode): the names of
    the fields it refused, [] when it took the body. A body is {"values": {...},
    "tuples": [names]}: the values under those names are given as tuples, which
    JSON cannot carry."""
    from pydantic import ValidationError, create_model

    from app.schemas.common import InputModel

    kinds = {**KINDS, "enum": enum.Enum("Choice", {c.upper(): c for c in choices})}
    declared: dict[str, Any] = {
        name: (kinds[kind], ...) for name, kind in fields.items()
    }
    probe = create_model("CheckProbe", __base__=InputModel, **declared)
    refused: list[list[str]] = []
    for body in bodies:
        values = dict(body["values"])
        for name in body["tuples"]:
            values[name] = tuple(values[name])
        try:
            probe.model_validate(values)
            refused.append([])
        except ValidationError as error:
            refused.append([str(problem["loc"][0]) for problem in error.errors()])
    return refused


@observation
def uncovered(spec: dict[str, Any], seen: list[list[Any]], whole_api: list[int]) -> Any:
    """What `uncovered()` of the folder's tests/route_coverage.py returns for
    `spec` and the answers `seen` ([method, path, route, status] each)."""
    path = Path.cwd() / "tests" / "route_coverage.py"
    spec_ = importlib.util.spec_from_file_location("check_07_2_route_coverage", path)
    if spec_ is None or spec_.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(module)
    answers = {module.Seen(*answer) for answer in seen}
    return module.uncovered(spec, answers, whole_api=set(whole_api))
