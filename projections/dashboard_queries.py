"""Queries of the staff dashboard over the usage rollup (``projections.usage_rollup``).

Every query takes the workspace id and filters by it first: a staff member's screens can
only ever show their own workspace. Ranges are half-open UTC instants, ``[start, end)``,
and count the hours that begin inside them. Money comes back exact.

SQL does the summing, so that a page's Python handles a few hundred rows whatever the
traffic: one query sums each client × model × status cell over the whole range (the
clients, models and failures are added up from those), one sums each hour or day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from projections.ports import ReadModelDatabase, Row
from projections.rollup_periods import periods, rollup_rows
from projections.values import EXACT, ZERO, decimal_of, integer_of, utc_of

CELL = "client_id, model, status, outcome, error_type"
SUMS = ("SUM(requests) AS requests, "
        "SUM(CASE WHEN status >= 400 THEN requests ELSE 0 END) AS errors, "
        "SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens, "
        "rm_dec_sum(provider_cost) AS provider_cost, rm_dec_sum(billed_cost) AS billed_cost")


@dataclass(frozen=True)
class Usage:
    """Sums of rollup rows; ``group`` is the period, client or model summed by."""

    group: object
    requests: int
    errors: int
    prompt_tokens: int
    completion_tokens: int
    provider_cost: Decimal
    billed_cost: Decimal

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class ErrorCount:
    status: int
    outcome: str
    error_type: str | None
    requests: int


@dataclass(frozen=True)
class UsageBreakdown:
    """A range summed four ways. ``per_period`` holds hours, or whole days where the range
    was read by day (``by_hour=False``): a day-by-day chart needs nothing finer."""

    per_period: list[Usage]
    per_client: list[Usage]
    per_model: list[Usage]
    errors: list[ErrorCount]  # by status and cause, most frequent first


class _Sums:
    """Running sums of rollup rows, money added exactly."""

    __slots__ = ("requests", "errors", "prompt_tokens", "completion_tokens", "provider_cost",
                 "billed_cost")

    def __init__(self) -> None:
        self.requests = self.errors = self.prompt_tokens = self.completion_tokens = 0
        self.provider_cost = self.billed_cost = ZERO

    def add(self, requests: int, errors: int, prompt_tokens: int, completion_tokens: int,
            provider_cost: Decimal, billed_cost: Decimal) -> None:
        self.requests += requests
        self.errors += errors
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens
        self.provider_cost = EXACT.add(self.provider_cost, provider_cost)
        self.billed_cost = EXACT.add(self.billed_cost, billed_cost)

    def usage(self, group: object) -> Usage:
        return Usage(group, self.requests, self.errors, self.prompt_tokens,
                     self.completion_tokens, self.provider_cost, self.billed_cost)


def _sums(row: Row) -> tuple[int, int, int, int, Decimal, Decimal]:
    return (integer_of(row["requests"]), integer_of(row["errors"]),
            integer_of(row["prompt_tokens"]), integer_of(row["completion_tokens"]),
            decimal_of(row["provider_cost"]), decimal_of(row["billed_cost"]))


def _add(into: dict[object, _Sums], group: object, sums: tuple) -> None:
    found = into.get(group)
    if found is None:
        found = into[group] = _Sums()
    found.add(*sums)


@dataclass
class _Cells:
    per_client: dict[object, _Sums]
    per_model: dict[object, _Sums]
    failures: dict[tuple[int, str, str], int]


def _cells(db: ReadModelDatabase, workspace_id: UUID, start: datetime, end: datetime,
           client_id: UUID | None) -> _Cells:
    """Clients, models and failures, from whole days and the hours at the ends."""
    found = _Cells({}, {}, {})
    for part in periods(start, end):
        for row in rollup_rows(db, part, f"{CELL}, {SUMS}", workspace_id, client_id,
                               group_by=CELL):
            sums = _sums(row)
            _add(found.per_client, row["client_id"], sums)
            _add(found.per_model, row["model"], sums)
            if sums[1]:
                cause = (integer_of(row["status"]), row["outcome"], row["error_type"])
                found.failures[cause] = found.failures.get(cause, 0) + sums[1]
    return found


def usage_by_client(db: ReadModelDatabase, workspace_id: UUID, start: datetime,
                    end: datetime) -> list[Usage]:
    return _ordered(_cells(db, workspace_id, start, end, None).per_client, _uuid)


def usage_breakdown(db: ReadModelDatabase, workspace_id: UUID, start: datetime,
                    end: datetime, by_hour: bool = False,
                    client_id: UUID | None = None) -> UsageBreakdown:
    """``per_period`` by hour throughout when ``by_hour``."""
    cells = _cells(db, workspace_id, start, end, client_id)
    per_period: dict[object, _Sums] = {}
    for part in periods(start, end, by_hour):
        for row in rollup_rows(db, part, f"period, {SUMS}", workspace_id, client_id,
                               group_by="period"):
            _add(per_period, row["period"], _sums(row))
    return UsageBreakdown(
        _ordered(per_period, utc_of), _ordered(cells.per_client, _uuid),
        _ordered(cells.per_model, str),
        sorted((ErrorCount(status, outcome, error_type or None, n)
                for (status, outcome, error_type), n in cells.failures.items()),
               key=lambda e: (-e.requests, e.status, e.outcome, e.error_type or "")))


def _uuid(value: object) -> UUID:
    return UUID(str(value))


def _ordered(sums: dict[object, _Sums], convert: Callable[[object], object]) -> list[Usage]:
    usage = [s.usage(convert(group)) for group, s in sums.items()]
    return sorted(usage, key=lambda u: str(u.group))


def usage_position(db: ReadModelDatabase) -> int:
    """How far the usage views have read the ledger: it moves when there is news to show."""
    rows = db.fetch_all("SELECT MIN(position) AS position FROM rm_tracking "
                        "WHERE projection IN ('usage_rollup_v1', 'request_log_v1')")
    return integer_of(rows[0]["position"]) if rows else 0
