"""The read models' SQL dialect (see ``projections/ports.py``), for SQLite and PostgreSQL.

Representation, chosen so that money stays exact on both backends:
- money and latency in ms (``DECIMAL_T``): NUMERIC without a scale on PostgreSQL, exact;
  TEXT holding ``str(Decimal)`` on SQLite;
- instants (``TIMESTAMP_T``): TIMESTAMPTZ on PostgreSQL; on SQLite TEXT, ISO-8601 UTC of one
  fixed width, ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``;
- ids: TEXT of the UUID on both.

On PostgreSQL, psycopg adapts Decimal and datetime itself, and UUIDs are sent as text
(``UuidAsText``); sessions run in UTC, so instants come back in UTC too.

SQLite's NUMERIC affinity would turn money into floats, hence TEXT; its fixed-width
instants sort and compare as text in time order. The exact arithmetic SQLite lacks is
added as Python functions (``rm_dec_add`` …); PostgreSQL gets the same names as SQL
functions, so one SQL text serves both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, localcontext
from functools import lru_cache
from typing import Any
from uuid import UUID

from psycopg import adapters as postgres_types
from psycopg.adapt import Dumper

from projections.values import EXACT

TYPES = {
    "sqlite": {"DECIMAL_T": "TEXT", "TIMESTAMP_T": "TEXT"},
    "postgres": {"DECIMAL_T": "NUMERIC", "TIMESTAMP_T": "TIMESTAMPTZ"},
}
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@lru_cache(maxsize=512)
def sql_for(backend: str, sql: str) -> str:
    for token, type_name in TYPES[backend].items():
        sql = sql.replace(token, type_name)
    if backend == "postgres":
        sql = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
    return sql


_uuid_text = lru_cache(maxsize=65_536)(UUID.__str__)  # a batch repeats its few ids often


def _iso_utc(instant: datetime, name: str) -> str:
    if instant.tzinfo is not UTC:
        if instant.tzinfo is None:
            raise ValueError(f"naive datetime {instant!r} for :{name}: times inside the "
                             "gateway are UTC-aware")
        instant = instant.astimezone(UTC)
    return instant.isoformat(timespec="microseconds")


def sqlite_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """UUIDs and Decimals as text; instants as fixed-width ISO-8601 UTC text."""
    converted = dict(params or {})
    for name, value in converted.items():
        kind = type(value)
        if kind is UUID:
            converted[name] = _uuid_text(value)
        elif kind is Decimal:
            converted[name] = str(value)
        elif kind is datetime:
            converted[name] = _iso_utc(value, name)
    return converted


# SQLite: exact decimals over TEXT. A NULL operand counts as absent.

def dec_add(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return b if a is None else a
    return str(EXACT.add(Decimal(a), Decimal(b)))


def dec_greatest(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return b if a is None else a
    return a if Decimal(a) >= Decimal(b) else b


def greatest(a: Any, b: Any) -> Any:
    """PostgreSQL's GREATEST for integers and fixed-width ISO times: NULLs ignored."""
    if a is None or b is None:
        return b if a is None else a
    return a if a >= b else b


class DecSum:
    """``step`` is a bound ``list.append``: SQLite then calls C, not a Python frame, per
    row, and ``finalize`` parses and adds in C loops; twice as fast on dashboard scans."""

    def __init__(self) -> None:
        self.values: list[str | None] = []
        self.step = self.values.append

    def finalize(self) -> str | None:
        values = [v for v in self.values if v is not None]
        if not values:
            return None
        with localcontext(EXACT):
            return str(sum(map(Decimal, values)))


class DecMax:
    def __init__(self) -> None:
        self.values: list[str | None] = []
        self.step = self.values.append

    def finalize(self) -> str | None:
        values = [v for v in self.values if v is not None]
        return str(max(map(Decimal, values))) if values else None


class UuidAsText(Dumper):
    """Ids are TEXT columns: a UUID parameter must arrive as text, not as a uuid."""

    oid = postgres_types.types["text"].oid

    def dump(self, obj: UUID) -> bytes:
        return str(obj).encode()


POSTGRES_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION rm_dec_add(a numeric, b numeric) RETURNS numeric
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE a + b END $$""",
    """CREATE OR REPLACE FUNCTION rm_dec_greatest(a numeric, b numeric) RETURNS numeric
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT GREATEST(a, b) $$""",
    """CREATE OR REPLACE AGGREGATE rm_dec_sum(numeric) (SFUNC = numeric_add,
        STYPE = numeric, COMBINEFUNC = numeric_add, PARALLEL = SAFE)""",
    """CREATE OR REPLACE AGGREGATE rm_dec_max(numeric) (SFUNC = numeric_larger,
        STYPE = numeric, COMBINEFUNC = numeric_larger, PARALLEL = SAFE)""",
)
