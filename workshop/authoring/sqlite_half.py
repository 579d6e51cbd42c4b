"""A pytest plugin (`-p workshop.authoring.sqlite_half`): the service's tests on SQLite only.

The service's tests run each database test twice, on SQLite and on PostgreSQL
(the `databases` fixture of tests/conftest.py). A lesson checkpoint whose lesson
leaves the database layer as the lesson before left it would run the
PostgreSQL half of code that an earlier checkpoint and the final run already
run there; this plugin deselects that half, and pytest says how many it left out.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    dropped = [item for item in items if _on_postgresql(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not _on_postgresql(item)]


def _on_postgresql(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return callspec is not None and callspec.params.get("databases") == "postgresql"
