"""How the tests read the deployment files: gunicorn.conf.py imported with a given
environment, the Dockerfile as a list of instructions by stage."""

import importlib.util
import os
import re
import shlex
from pathlib import Path
from types import ModuleType
from unittest import mock

from app.config_check import get_settings

ROOT = Path(__file__).resolve().parent.parent


def gunicorn_config(**environment: str) -> ModuleType:
    """gunicorn.conf.py, as Gunicorn loads it, with only `environment` as APP_*."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("APP_")}
    with mock.patch.dict(os.environ, {**clean, **environment}, clear=True):
        get_settings.cache_clear()
        try:
            spec = importlib.util.spec_from_file_location(
                "gunicorn_conf", ROOT / "gunicorn.conf.py"
            )
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
        finally:
            get_settings.cache_clear()


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments out."""
    joined = re.sub(
        r"\\\n",
        " ",
        "\n".join(
            line for line in text.splitlines() if not line.lstrip().startswith("#")
        ),
    )
    found = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def stages(text: str) -> list[list[tuple[str, str]]]:
    """The instructions of each stage, the one FROM opens first."""
    result: list[list[tuple[str, str]]] = []
    for instruction in instructions(text):
        if instruction[0] == "FROM":
            result.append([])
        if result:
            result[-1].append(instruction)
    return result


def exec_form(arguments: str) -> list[str]:
    """A JSON-array argument (CMD ["a", "b"]) as a list; a shell form split."""
    import json

    try:
        value = json.loads(arguments)
    except ValueError:
        return shlex.split(arguments)
    return [str(item) for item in value]
