"""The notebook face: `from workshop import ...` gives every helper, and stays light."""

import importlib.util
import subprocess
import sys

import pytest

import workshop
from workshop.attendee import lab


def test_import_workshop_loads_none_of_the_helpers() -> None:
    code = (
        "import sys, workshop; "
        "print(sorted(m for m in sys.modules if m.startswith(('workshop.', 'fastapi'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_every_helper_comes_from_the_lab_module() -> None:
    for name in ("check", "checkpoint", "doctor", "run_tests", "show", "start"):
        assert getattr(workshop, name) is getattr(lab, name), name
    with pytest.raises(AttributeError):
        workshop.nothing_of_the_kind  # noqa: B018


def test_the_old_forwarding_modules_are_gone() -> None:
    assert importlib.util.find_spec("workshop.lab") is None
    assert importlib.util.find_spec("workshop.doctor") is None


def test_doctor_prints_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    lab.doctor()
    text = capsys.readouterr().out
    assert text.startswith("✓ Python ") or text.startswith("✗ Python ")
    assert "All good: you are ready." in text or "Fix the ✗ lines above" in text
