"""Everything the analytics page shows for a range, and the same as CSV.

The CSV is one flat table, so that a spreadsheet opens it as is: a ``section`` column says
whether a row is a step of the time series, a model, a client or an error cause. Money is
written exactly, as decimal strings of US dollars.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from dashboard.ranges import Window
from dashboard.usage_report import RangeUsage, range_usage
from projections.dashboard_queries import ErrorCount, Usage
from projections.histogram import percentile
from projections.latency_buckets import BOUNDS_MS
from projections.ports import ReadModelDatabase
from projections.rollup_latency import latency_by_model


@dataclass(frozen=True)
class LatencySummary:
    model: str
    latency_p50: float | None
    latency_p95: float | None
    ttft_p50: float | None
    ttft_p95: float | None


@dataclass(frozen=True)
class AnalyticsReport:
    usage: RangeUsage
    per_model: list[Usage]
    latency: list[LatencySummary]
    errors: list[ErrorCount]


def build_report(db: ReadModelDatabase, workspace_id: UUID, window: Window,
                 client_id: UUID | None) -> AnalyticsReport:
    usage = range_usage(db, workspace_id, window, client_id)
    latency = [LatencySummary(
        row.group, _quantile(row.latency_counts, 0.5, row.latency_max_ms),
        _quantile(row.latency_counts, 0.95, row.latency_max_ms),
        _quantile(row.ttft_counts, 0.5, row.ttft_max_ms),
        _quantile(row.ttft_counts, 0.95, row.ttft_max_ms))
        for row in latency_by_model(db, workspace_id, window.start, window.end, client_id)]
    return AnalyticsReport(usage, sorted(usage.per_model, key=lambda u: -u.requests), latency,
                           usage.errors)


def _quantile(counts: tuple[int, ...], q: float, maximum: Decimal | None) -> float | None:
    """Within 19% of the true value: see ``projections.latency_buckets``."""
    return percentile(counts, q, maximum, BOUNDS_MS)


COLUMNS = ("section", "key", "requests", "errors", "tokens", "provider_cost_usd",
           "billed_cost_usd", "latency_p50_ms", "latency_p95_ms", "ttft_p50_ms", "ttft_p95_ms")


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def report_csv(report: AnalyticsReport, names: dict[UUID, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in report.usage.points:
        writer.writerow(["time", p.at.isoformat(), p.requests, p.errors, p.tokens,
                         p.provider_cost, p.billed_cost])
    latency = {row.model: row for row in report.latency}
    for u in report.per_model:
        lat = latency.get(str(u.group))
        writer.writerow(["model", u.group, u.requests, u.errors, u.tokens, u.provider_cost,
                         u.billed_cost, *([_ms(lat.latency_p50), _ms(lat.latency_p95),
                                           _ms(lat.ttft_p50), _ms(lat.ttft_p95)] if lat else [])])
    for u in report.usage.per_client:
        writer.writerow(["client", names.get(u.group, str(u.group)),  # type: ignore[call-overload]
                         u.requests, u.errors, u.tokens, u.provider_cost, u.billed_cost])
    for e in report.errors:
        writer.writerow(["error", f"{e.status} {e.outcome} {e.error_type or ''}".strip(),
                         e.requests, e.requests])
    return out.getvalue()
