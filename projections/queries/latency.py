"""Latency and time to first token over a range: p50, p95 and max, from the histograms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from projections.histogram import BUCKETS, percentile
from projections.ports import ReadModelDatabase
from projections.queries.hourly_range import hourly_filter
from projections.values import integer_of, optional_decimal

_BUCKET_SUMS = ", ".join(f"SUM({kind}_b{i}) AS {kind}_b{i}"
                         for kind in ("lat", "ttft") for i in range(BUCKETS))


@dataclass(frozen=True)
class LatencySummary:
    """Milliseconds; percentiles are estimates within a bucket, maxima are exact."""

    requests: int
    p50_ms: float | None
    p95_ms: float | None
    max_ms: Decimal | None
    ttft_count: int  # streamed requests that produced a first token
    ttft_p50_ms: float | None
    ttft_p95_ms: float | None
    ttft_max_ms: Decimal | None


def latency_summary(database: ReadModelDatabase, workspace_id: UUID, start: datetime,
                    end: datetime, client_id: UUID | None = None,
                    model: str | None = None) -> LatencySummary:
    where, params = hourly_filter(workspace_id, start, end, client_id, model)
    row = database.fetch_all(
        "SELECT SUM(requests) AS requests, SUM(ttft_count) AS ttft_count, "
        "rm_dec_max(latency_max_ms) AS latency_max_ms, rm_dec_max(ttft_max_ms) AS ttft_max_ms, "
        f"{_BUCKET_SUMS} FROM rm_usage_hourly WHERE {where}", params)[0]
    latency = [integer_of(row[f"lat_b{i}"]) for i in range(BUCKETS)]
    ttft = [integer_of(row[f"ttft_b{i}"]) for i in range(BUCKETS)]
    latency_max = optional_decimal(row["latency_max_ms"])
    ttft_max = optional_decimal(row["ttft_max_ms"])
    return LatencySummary(
        requests=integer_of(row["requests"]),
        p50_ms=percentile(latency, 0.50, latency_max),
        p95_ms=percentile(latency, 0.95, latency_max),
        max_ms=latency_max,
        ttft_count=integer_of(row["ttft_count"]),
        ttft_p50_ms=percentile(ttft, 0.50, ttft_max),
        ttft_p95_ms=percentile(ttft, 0.95, ttft_max),
        ttft_max_ms=ttft_max)
