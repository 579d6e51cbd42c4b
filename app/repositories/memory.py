"""An in-memory table: rows by integer id from a counter. For development and tests;
lesson 05 puts a database behind the same repository protocols."""

import dataclasses
import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, Protocol, TypeVar


class Row(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=Row)


class InMemoryTable(Generic[R]):
    """Rows in insertion order; ids start at 1 and are never reused."""

    def __init__(self) -> None:
        self._rows: dict[int, R] = {}
        self._ids = itertools.count(1)

    def insert(self, make: Callable[[int], R]) -> R:
        row = make(next(self._ids))
        self._rows[row.id] = row
        return row

    def get(self, row_id: int) -> R | None:
        return self._rows.get(row_id)

    def where(self, **values: object) -> Iterator[R]:
        """The rows whose attributes equal all of `values`, in insertion order."""
        for row in self._rows.values():
            if all(getattr(row, name) == value for name, value in values.items()):
                yield row

    def find(self, **values: object) -> R | None:
        """The first row whose attributes equal all of `values`."""
        return next(self.where(**values), None)

    def page(self, *, limit: int, offset: int, **values: object) -> list[R]:
        return list(self.where(**values))[offset : offset + limit]

    def count(self, **values: object) -> int:
        return sum(1 for _ in self.where(**values))

    def update(self, row: R, changes: Mapping[str, Any]) -> R:
        updated = dataclasses.replace(row, **changes)  # type: ignore[type-var]
        self._rows[row.id] = updated
        return updated

    def delete(self, row: R) -> None:
        self._rows.pop(row.id, None)
