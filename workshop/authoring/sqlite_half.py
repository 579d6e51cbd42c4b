"""A pytest plugin (`-p workshop.authoring.sqlite_half`): the service's tests on SQLite only.

The service's tests run each database test twice, on SQLite and on PostgreSQL
(the `databases` fixture of tests/conftest.py). A lesson checkpoint whose lesson
leaves the schema and the SQL as the lesson before left them would run the
PostgreSQL half of code that an earlier checkpoint and the final run already
run there; this plugin deselects that half, and pytest says how many it left out.
`--postgresql-in FILE` keeps the PostgreSQL half of one test file: the
migrations' tests, when a lesson changes how migrations run but not what they do.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgresql-in",
        action="append",
        default=[],
        metavar="FILE",
        help="keep the PostgreSQL half of this test file",
    )


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    kept = tuple(config.getoption("postgresql_in"))
    dropped = [item for item in items if _on_postgresql(item, kept)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not _on_postgresql(item, kept)]


def _on_postgresql(item: pytest.Item, kept: tuple[str, ...]) -> bool:
    callspec = getattr(item, "callspec", None)
    return (
        callspec is not None
        and callspec.params.get("databases") == "postgresql"
        and item.nodeid.split("::")[0] not in kept
    )
