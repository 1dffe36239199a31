"""Queries of the staff dashboard over the usage read models.

Every query takes the workspace id and filters by it first: a staff member's screens can
only ever show their own workspace. Ranges are half-open UTC instants, ``[start, end)``,
compared with the hour a row of ``rm_usage_hourly`` counts. Money comes back exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from projections.histogram import BUCKETS
from projections.ports import ReadModelDatabase, Row
from projections.values import decimal_of, integer_of, optional_decimal, utc_of

USAGE_SUMS = """COUNT(*) AS cells, SUM(requests) AS requests, SUM(errors) AS errors,
    SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,
    rm_dec_sum(provider_cost) AS provider_cost, rm_dec_sum(billed_cost) AS billed_cost"""
LATENCY_SUMS = ", ".join(
    [f"SUM(lat_b{i}) AS lat_b{i}" for i in range(BUCKETS)]
    + [f"SUM(ttft_b{i}) AS ttft_b{i}" for i in range(BUCKETS)]
    + ["rm_dec_max(latency_max_ms) AS latency_max_ms", "rm_dec_max(ttft_max_ms) AS ttft_max_ms"])
IN_RANGE = "workspace_id = :workspace_id AND hour >= :start AND hour < :end"
OF_CLIENT = " AND client_id = :client_id"


@dataclass(frozen=True)
class Usage:
    """Sums of ``rm_usage_hourly`` rows; ``group`` is the hour, client or model summed by."""

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
class Latency:
    """Histogram counts of one group, for ``projections.histogram.percentile``."""

    group: str
    latency_counts: tuple[int, ...]
    ttft_counts: tuple[int, ...]
    latency_max_ms: Decimal | None
    ttft_max_ms: Decimal | None


def _usage(row: Row, group: object) -> Usage:
    return Usage(group, integer_of(row["requests"]), integer_of(row["errors"]),
                 integer_of(row["prompt_tokens"]), integer_of(row["completion_tokens"]),
                 decimal_of(row["provider_cost"]), decimal_of(row["billed_cost"]))


def _params(workspace_id: UUID, start: datetime, end: datetime,
            client_id: UUID | None) -> dict[str, object]:
    return {"workspace_id": workspace_id, "start": start, "end": end, "client_id": client_id}


def usage_by(db: ReadModelDatabase, workspace_id: UUID, start: datetime, end: datetime,
             by: str, client_id: UUID | None = None) -> list[Usage]:
    """Usage summed per ``hour``, ``client_id`` or ``model``, ordered by that column."""
    if by not in ("hour", "client_id", "model"):
        raise ValueError(f"cannot group usage by {by!r}")
    rows = db.fetch_all(
        f"SELECT {by} AS grp, {USAGE_SUMS} FROM rm_usage_hourly WHERE {IN_RANGE}"
        f"{OF_CLIENT if client_id else ''} GROUP BY {by} ORDER BY {by}",
        _params(workspace_id, start, end, client_id))
    convert = utc_of if by == "hour" else (UUID if by == "client_id" else str)
    return [_usage(row, convert(row["grp"])) for row in rows]


def latency_by_model(db: ReadModelDatabase, workspace_id: UUID, start: datetime,
                     end: datetime, client_id: UUID | None = None) -> list[Latency]:
    rows = db.fetch_all(
        f"SELECT model, {LATENCY_SUMS} FROM rm_usage_hourly WHERE {IN_RANGE}"
        f"{OF_CLIENT if client_id else ''} GROUP BY model ORDER BY model",
        _params(workspace_id, start, end, client_id))
    return [Latency(row["model"],
                    tuple(integer_of(row[f"lat_b{i}"]) for i in range(BUCKETS)),
                    tuple(integer_of(row[f"ttft_b{i}"]) for i in range(BUCKETS)),
                    optional_decimal(row["latency_max_ms"]), optional_decimal(row["ttft_max_ms"]))
            for row in rows]


@dataclass(frozen=True)
class ErrorCount:
    status: int
    outcome: str
    error_type: str | None
    requests: int


def error_breakdown(db: ReadModelDatabase, workspace_id: UUID, start: datetime, end: datetime,
                    client_id: UUID | None = None) -> list[ErrorCount]:
    """Failed requests by status and cause, from the request log (kept for its retention)."""
    rows = db.fetch_all(
        "SELECT status, outcome, error_type, COUNT(*) AS requests FROM rm_request_log "
        "WHERE workspace_id = :workspace_id AND at >= :start AND at < :end AND status >= 400"
        f"{OF_CLIENT if client_id else ''} GROUP BY status, outcome, error_type "
        "ORDER BY COUNT(*) DESC, status",
        _params(workspace_id, start, end, client_id))
    return [ErrorCount(integer_of(r["status"]), r["outcome"], r["error_type"],
                       integer_of(r["requests"])) for r in rows]


def usage_position(db: ReadModelDatabase) -> int:
    """How far the usage views have read the ledger: it moves when there is news to show."""
    rows = db.fetch_all("SELECT MIN(position) AS position FROM rm_tracking "
                        "WHERE projection IN ('usage_hourly_v1', 'request_log_v1')")
    return integer_of(rows[0]["position"]) if rows else 0
