"""Latency and time to first token per model over a range, from the rollup's buckets.

Whole days are summed in SQL over the daily table's bucket columns; the hours at the
range's ends over the hourly rows of non-empty buckets. Percentiles come from
``projections.histogram.percentile`` with the bounds of ``projections.latency_buckets``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from projections.latency_buckets import BUCKETS
from projections.ports import ReadModelDatabase
from projections.rollup_periods import Period, periods, rollup_rows
from projections.usage_rollup_tables import HOURLY_LATENCY, LATENCY_BUCKETS, TTFT_BUCKETS
from projections.values import integer_of, optional_decimal

MAXIMA = "rm_dec_max(latency_max_ms) AS latency_max_ms, rm_dec_max(ttft_max_ms) AS ttft_max_ms"
BUCKET_SUMS = ", ".join(f"SUM({c}) AS {c}" for c in (*LATENCY_BUCKETS, *TTFT_BUCKETS))


@dataclass(frozen=True)
class Latency:
    """Requests per bucket of one model, and the largest values seen (exact)."""

    group: str
    latency_counts: tuple[int, ...]
    ttft_counts: tuple[int, ...]
    latency_max_ms: Decimal | None
    ttft_max_ms: Decimal | None


class _Counts:
    def __init__(self) -> None:
        self.counts = {"latency": [0] * BUCKETS, "ttft": [0] * BUCKETS}
        self.maxima: dict[str, Decimal | None] = {"latency": None, "ttft": None}

    def see_maxima(self, latency: object, ttft: object) -> None:
        for kind, value in (("latency", optional_decimal(latency)),
                            ("ttft", optional_decimal(ttft))):
            seen = self.maxima[kind]
            if value is not None and (seen is None or value > seen):
                self.maxima[kind] = value

    def latency(self, model: str) -> Latency:
        return Latency(model, tuple(self.counts["latency"]), tuple(self.counts["ttft"]),
                       self.maxima["latency"], self.maxima["ttft"])


def _add_days(found: dict[str, _Counts], db: ReadModelDatabase, period: Period,
              workspace_id: UUID, client_id: UUID | None) -> None:
    for row in rollup_rows(db, period, f"model, {BUCKET_SUMS}, {MAXIMA}", workspace_id,
                           client_id, group_by="model"):
        counts = found.setdefault(row["model"], _Counts())
        for kind, columns in (("latency", LATENCY_BUCKETS), ("ttft", TTFT_BUCKETS)):
            into = counts.counts[kind]
            for bucket, column in enumerate(columns):
                into[bucket] += integer_of(row[column])
        counts.see_maxima(row["latency_max_ms"], row["ttft_max_ms"])


def _add_hours(found: dict[str, _Counts], db: ReadModelDatabase, period: Period,
               workspace_id: UUID, client_id: UUID | None) -> None:
    for row in rollup_rows(db, period, "model, kind, bucket, SUM(requests) AS requests",
                           workspace_id, client_id, HOURLY_LATENCY, "model, kind, bucket"):
        counts = found.setdefault(row["model"], _Counts())
        counts.counts[row["kind"]][integer_of(row["bucket"])] += integer_of(row["requests"])
    for row in rollup_rows(db, period, f"model, {MAXIMA}", workspace_id, client_id,
                           group_by="model"):
        found.setdefault(row["model"], _Counts()).see_maxima(row["latency_max_ms"],
                                                             row["ttft_max_ms"])


def latency_by_model(db: ReadModelDatabase, workspace_id: UUID, start: datetime,
                     end: datetime, client_id: UUID | None = None) -> list[Latency]:
    found: dict[str, _Counts] = {}
    for period in periods(start, end):
        add = _add_days if period.daily else _add_hours
        add(found, db, period, workspace_id, client_id)
    return [found[model].latency(model) for model in sorted(found)]
