"""``rm_usage_hourly``: usage per UTC hour × client × key × model × endpoint.

The dashboards' series, totals, rankings and latency percentiles all sum these rows.
Latency and time to first token are kept as exact sums and maxima plus fixed-bucket
histograms (``projections.histogram``), so percentiles survive summing over any range.
Every recorded request counts here, refusals included: they are traffic, and errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.usage import UsageRecorded
from projections.histogram import BUCKETS, bucket_of
from projections.ports import ReadModelCursor
from projections.values import EXACT, ZERO, hour_of

LATENCY_BUCKETS = tuple(f"lat_b{i}" for i in range(BUCKETS))
TTFT_BUCKETS = tuple(f"ttft_b{i}" for i in range(BUCKETS))
KEY = ("hour", "workspace_id", "client_id", "key_id", "model", "endpoint")
COUNTERS = ("requests", "errors", "prompt_tokens", "completion_tokens", "ttft_count",
            *LATENCY_BUCKETS, *TTFT_BUCKETS)
AMOUNTS = ("provider_cost", "billed_cost", "latency_sum_ms", "ttft_sum_ms")
MAXIMA = ("latency_max_ms", "ttft_max_ms")

_counter_columns = ",\n        ".join(f"{c} BIGINT NOT NULL" for c in COUNTERS)
_amount_columns = ",\n        ".join(f"{c} DECIMAL_T NOT NULL" for c in AMOUNTS)
DDL = (
    f"""CREATE TABLE IF NOT EXISTS rm_usage_hourly (
        hour TIMESTAMP_T NOT NULL,
        workspace_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        model TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        {_counter_columns},
        {_amount_columns},
        latency_max_ms DECIMAL_T NOT NULL,
        ttft_max_ms DECIMAL_T,
        PRIMARY KEY ({", ".join(KEY)})
    )""",
    "CREATE INDEX IF NOT EXISTS rm_usage_hourly_by_time ON rm_usage_hourly (workspace_id, hour)",
)

_columns = (*KEY, *COUNTERS, *AMOUNTS, *MAXIMA)
_updates = (
    [f"{c} = rm_usage_hourly.{c} + excluded.{c}" for c in COUNTERS]
    + [f"{c} = rm_dec_add(rm_usage_hourly.{c}, excluded.{c})" for c in AMOUNTS]
    + [f"{c} = rm_dec_greatest(rm_usage_hourly.{c}, excluded.{c})" for c in MAXIMA]
)
UPSERT = (
    f"INSERT INTO rm_usage_hourly ({', '.join(_columns)}) "
    f"VALUES ({', '.join(':' + c for c in _columns)}) "
    f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {', '.join(_updates)}"
)

HourKey = tuple[datetime, UUID, UUID, UUID, str, str]


@dataclass
class HourDelta:
    counters: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    amounts: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(AMOUNTS, ZERO))
    latency_max_ms: Decimal = ZERO
    ttft_max_ms: Decimal | None = None

    def add(self, event: UsageRecorded) -> None:
        counters, amounts = self.counters, self.amounts
        counters["requests"] += 1
        counters["errors"] += event.status >= 400
        counters["prompt_tokens"] += event.prompt_tokens
        counters["completion_tokens"] += event.completion_tokens
        counters[LATENCY_BUCKETS[bucket_of(event.latency_ms)]] += 1
        amounts["provider_cost"] = EXACT.add(amounts["provider_cost"], event.provider_cost)
        amounts["billed_cost"] = EXACT.add(amounts["billed_cost"], event.billed_cost)
        amounts["latency_sum_ms"] = EXACT.add(amounts["latency_sum_ms"], event.latency_ms)
        self.latency_max_ms = max(self.latency_max_ms, event.latency_ms)
        if event.ttft_ms is not None:
            counters["ttft_count"] += 1
            counters[TTFT_BUCKETS[bucket_of(event.ttft_ms)]] += 1
            amounts["ttft_sum_ms"] = EXACT.add(amounts["ttft_sum_ms"], event.ttft_ms)
            self.ttft_max_ms = event.ttft_ms if self.ttft_max_ms is None \
                else max(self.ttft_max_ms, event.ttft_ms)

    def row(self, key: HourKey) -> dict[str, Any]:
        return (dict(zip(KEY, key, strict=True)) | self.counters | self.amounts
                | {"latency_max_ms": self.latency_max_ms, "ttft_max_ms": self.ttft_max_ms})


def hour_deltas(events: Sequence[Any]) -> dict[HourKey, HourDelta]:
    deltas: dict[HourKey, HourDelta] = {}
    for event in events:
        if not isinstance(event, UsageRecorded):
            continue
        key = (hour_of(event.timestamp), event.workspace_id, event.client_id, event.key_id,
               event.model, event.endpoint)
        delta = deltas.get(key)
        if delta is None:
            delta = deltas[key] = HourDelta()
        delta.add(event)
    return deltas


class UsageHourlyProjection:
    name = "usage_hourly_v1"
    source = "ledger"
    tables: tuple[str, ...] = ("rm_usage_hourly",)

    def ddl(self) -> Sequence[str]:
        return DDL

    def apply(self, events: Sequence[Any], cursor: ReadModelCursor) -> None:
        deltas = hour_deltas(events)
        ordered = sorted(deltas, key=lambda k: (k[0], *map(str, k[1:])))
        cursor.executemany(UPSERT, [deltas[key].row(key) for key in ordered])
