"""The checks' own code, compared before and after attendee code ran."""

from __future__ import annotations

import secrets

import pytest

from workshop import checking
from workshop.grading import integrity


def test_nothing_changed_is_nothing_reported() -> None:
    before = integrity.take()
    assert integrity.changes(before) == []


def test_a_replaced_method_or_random_source_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = integrity.take()
    monkeypatch.setattr(checking.Checker, "expect", lambda *args: True)
    monkeypatch.setattr(secrets, "token_hex", lambda n=None: "abc")
    changed = integrity.changes(before)
    assert "workshop.checking.Checker.expect" in changed
    assert "secrets.token_hex" in changed


def test_a_swapped_code_object_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    before = integrity.take()
    monkeypatch.setattr(
        checking.Checker.expect,
        "__code__",
        (lambda self, ok, text, got="": True).__code__,
    )
    assert integrity.changes(before) == ["workshop.checking.Checker.expect.__code__"]
