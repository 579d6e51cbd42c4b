"""Fixtures for the tooling's tests: the real checkout, and throwaway copies of it."""

from pathlib import Path

import pytest

from workshop.authoring.sandbox import make_sandbox
from workshop.project import find_root

ROOT = find_root(Path(__file__))


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def workshop_copy(tmp_path: Path) -> Path:
    """A full copy of the workshop, managed files as the last notebook leaves them."""
    return make_sandbox(ROOT, tmp_path / "workshop")
