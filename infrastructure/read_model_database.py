"""The ReadModelDatabase port on SQLite (sqlite3) and on PostgreSQL (psycopg 3 + pool).

Both keep the read models in the database that holds the events: the SQLite file of the
event store, or its PostgreSQL database (and schema). The SQL dialect and the column
representations are in ``infrastructure/read_model_dialect.py``.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

from psycopg import Connection, Cursor
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from infrastructure.database_url import DatabaseUrl
from infrastructure.projection_leadership import lock_key
from infrastructure.read_model_dialect import (
    POSTGRES_FUNCTIONS,
    DecMax,
    DecSum,
    UuidAsText,
    dec_add,
    dec_greatest,
    greatest,
    sql_for,
    sqlite_params,
)
from projections.ports import Params, ReadModelDatabase, Row

BUSY_TIMEOUT_SECONDS = 30
SCHEMA_LOCK = lock_key("llm_gateway.read_model_schema")


def _dict_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> Row:
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


class _SqliteCursor:
    """Begins ``BEGIN IMMEDIATE`` at the first statement: work done before it (a batch's
    pre-aggregation) does not hold the file's one write lock, which the ledger also needs."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection
        self.began = False

    def _begin(self) -> None:
        if not self.began:
            self.connection.execute("BEGIN IMMEDIATE")
            self.began = True

    def execute(self, sql: str, params: Params | None = None) -> int:
        self._begin()
        return self.connection.execute(sql_for("sqlite", sql), sqlite_params(params)).rowcount

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if rows:
            self._begin()
            self.connection.executemany(sql_for("sqlite", sql),
                                        [sqlite_params(r) for r in rows])

    def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        self._begin()
        return self.connection.execute(sql_for("sqlite", sql), sqlite_params(params)).fetchall()


class SqliteReadModelDatabase:
    """One connection per thread on a file (WAL lets readers run beside the writer); one
    connection behind a lock for ``:memory:``, which a second connection could not see."""

    backend = "sqlite"

    def __init__(self, path: Path | None):
        self.path = path
        self._memory = path is None
        self._local = threading.local()
        self._guard = threading.RLock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False

    def _connect(self) -> sqlite3.Connection:
        if self._closed:
            raise RuntimeError("the read-model database is closed")
        connection = sqlite3.connect(":memory:" if self.path is None else str(self.path),
                                     timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                                     check_same_thread=False)
        connection.row_factory = _dict_row
        if not self._memory:
            connection.execute("PRAGMA journal_mode=WAL")
            # In WAL mode, NORMAL may lose the last commits to a power cut, but a batch and
            # its tracking row always go together: a view never disagrees with its position.
            connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        connection.create_function("rm_dec_add", 2, dec_add, deterministic=True)
        connection.create_function("rm_dec_greatest", 2, dec_greatest, deterministic=True)
        connection.create_function("greatest", 2, greatest, deterministic=True)
        connection.create_aggregate("rm_dec_sum", 1, DecSum)  # type: ignore[arg-type]
        connection.create_aggregate("rm_dec_max", 1, DecMax)  # type: ignore[arg-type]
        self._connections.append(connection)
        return connection

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if self._memory:
            with self._guard:
                yield self._connections[0] if self._connections else self._connect()
            return
        connection = getattr(self._local, "connection", None)
        if connection is None:
            with self._guard:
                connection = self._local.connection = self._connect()
        yield connection

    @contextmanager
    def transaction(self) -> Iterator[_SqliteCursor]:
        with self._connection() as connection:
            cursor = _SqliteCursor(connection)
            try:
                yield cursor
                if cursor.began:
                    connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise

    def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        with self._connection() as connection:
            return connection.execute(sql_for("sqlite", sql), sqlite_params(params)).fetchall()

    def ensure_tables(self, statements: Sequence[str]) -> None:
        with self.transaction() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def close(self) -> None:
        with self._guard:
            self._closed = True
            for connection in self._connections:
                connection.close()
            self._connections.clear()


class _PostgresCursor:
    def __init__(self, cursor: Cursor[Row]):
        self.cursor = cursor

    def execute(self, sql: str, params: Params | None = None) -> int:
        self.cursor.execute(sql_for("postgres", sql), dict(params or {}))
        return self.cursor.rowcount

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if rows:
            self.cursor.executemany(sql_for("postgres", sql), rows)

    def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        self.cursor.execute(sql_for("postgres", sql), dict(params or {}))
        return self.cursor.fetchall()


def _configure(connection: Connection[Any]) -> None:
    connection.adapters.register_dumper(UUID, UuidAsText)


class PostgresReadModelDatabase:
    backend = "postgres"

    def __init__(self, conninfo: str, schema: str = "", max_size: int = 4):
        # Every row here is derived from the events, and a projection's rows commit with
        # its tracking position: a crash can lose only its last commits, both together,
        # and the projection redoes them. So its commits need not wait for the WAL flush,
        # which at the gateway's pace otherwise queued behind, and before, the ledger's.
        options = "-c TimeZone=UTC -c synchronous_commit=off" + (
            f" -c search_path={schema}" if schema else "")
        self.pool: ConnectionPool[Any] = ConnectionPool(
            conninfo, min_size=1, max_size=max_size, open=True, name="read-models",
            timeout=10, kwargs={"row_factory": dict_row, "options": options},
            configure=_configure)

    @contextmanager
    def transaction(self) -> Iterator[_PostgresCursor]:
        with self.pool.connection() as connection, connection.transaction(), \
                connection.cursor() as cursor:
            yield _PostgresCursor(cursor)

    def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        with self.pool.connection() as connection:
            return connection.execute(sql_for("postgres", sql),
                                      dict(params or {})).fetchall()

    def ensure_tables(self, statements: Sequence[str]) -> None:
        # Concurrent CREATE … IF NOT EXISTS can still clash in the catalog: serialize them.
        with self.transaction() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(:key)", {"key": SCHEMA_LOCK})
            for statement in (*POSTGRES_FUNCTIONS, *statements):
                cursor.execute(statement)

    def close(self) -> None:
        self.pool.close()


def open_read_model_database(url: DatabaseUrl) -> ReadModelDatabase:
    """The events' own database: a memory event store gets a memory read model."""
    if url.backend == "postgres":
        return PostgresReadModelDatabase(url.psycopg_conninfo(), url.schema)
    return SqliteReadModelDatabase(url.sqlite_path if url.backend == "sqlite" else None)
