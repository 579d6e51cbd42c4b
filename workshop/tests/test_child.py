"""What a child interpreter inherits, and what is read back from it."""

import os
import sys
from pathlib import Path

import pytest

from workshop import child


def test_a_child_gets_no_service_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_SECRET_KEY", "from the machine")
    monkeypatch.setenv("KEEP_ME", "yes")
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
    env = child.environment(HOME="/elsewhere")
    assert "APP_SECRET_KEY" not in env
    assert env["KEEP_ME"] == "yes" and env["HOME"] == "/elsewhere"
    assert "PYTHONDONTWRITEBYTECODE" not in env  # notebook runs keep the default
    assert child.environment(no_bytecode=True)["PYTHONDONTWRITEBYTECODE"] == "1"
    assert "APP_SECRET_KEY" in os.environ  # this process is untouched


def test_the_last_line_of_a_log_is_read_from_its_end(tmp_path: Path) -> None:
    log = tmp_path / "output.log"
    assert child.last_line(log) == "no output"
    log.write_text("")
    assert child.last_line(log) == "no output"
    log.write_text("x" * 100_000 + "\nTraceback\nValueError: bad\n\n")
    assert child.last_line(log) == "ValueError: bad"


def test_forgetting_app_modules_leaves_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("app", "app.main", "tests.conftest", "apple"):
        monkeypatch.setitem(sys.modules, name, sys)
    child.forget_app_modules()
    assert not {"app", "app.main", "tests.conftest"} & sys.modules.keys()
    assert "apple" in sys.modules
