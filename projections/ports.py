"""Ports of the read side: the database the read models live in, and a projection.

SQL is written once, for both backends, in this dialect:

- parameters are named, ``:name``, and passed as a mapping;
- ``DECIMAL_T`` and ``TIMESTAMP_T`` in DDL stand for the column types of exact money and of
  UTC instants (NUMERIC and TIMESTAMPTZ on PostgreSQL; TEXT on SQLite, see
  ``infrastructure/read_model_database.py``);
- exact decimal arithmetic goes through ``rm_dec_add(a, b)``, ``rm_dec_greatest(a, b)``
  and the aggregates ``rm_dec_sum(x)`` and ``rm_dec_max(x)``, which every adapter provides
  (a NULL operand counts as absent); ``GREATEST(a, b)`` works on times and integers;
- upserts use ``INSERT … ON CONFLICT (…) DO UPDATE SET col = table.col + excluded.col``.

Values go in as Python values (UUID, Decimal, aware datetime, bool, int, str) and come back
as whatever the backend holds: read them through ``projections.values``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

Row = dict[str, Any]
Params = Mapping[str, Any]


class ReadModelCursor(Protocol):
    """Statements inside one transaction; nothing is visible to others before it commits."""

    def execute(self, sql: str, params: Params | None = None) -> int:
        """Runs one statement; returns the number of rows it changed."""
        ...

    def executemany(self, sql: str, rows: Sequence[Params]) -> None: ...

    def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]: ...


class ReadModelDatabase(Protocol):
    """Where the read models live: the same database as the events.

    ``transaction()`` commits when its block ends normally and rolls back when it raises.
    ``ensure_tables`` is idempotent and safe to run from several processes at once.
    Every method may be called from any thread.
    """

    backend: str  # "sqlite" or "postgres"

    def transaction(self) -> AbstractContextManager[ReadModelCursor]: ...

    def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]: ...

    def ensure_tables(self, statements: Sequence[str]) -> None: ...

    def close(self) -> None: ...


class Projection(Protocol):
    """Turns a batch of events of one source into changes of its own tables.

    ``name`` carries a version suffix: a changed view gets a new name, so it is rebuilt
    alongside the old one. ``apply`` must be deterministic, and must give the same tables
    whatever the batch boundaries are: a rebuild from the first event has to equal the view
    that was built live.
    """

    name: str
    source: str  # "management" or "ledger"
    tables: tuple[str, ...]  # dropped, in this order, by a rebuild

    def ddl(self) -> Sequence[str]: ...

    def apply(self, events: Sequence[Any], cursor: ReadModelCursor) -> None: ...
