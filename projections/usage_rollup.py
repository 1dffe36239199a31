"""The usage rollup: what the dashboard's screens sum, by hour and by day.

Keys and endpoints are left out (no screen of a range shows them), so that a busy hour is
a few rows per client and model instead of one per request. The dashboard reads whole
days from the daily table and only the hours at a range's ends from the hourly ones
(``projections.rollup_periods``): a 90-day page sums a few thousand rows. The tables are
in ``projections.usage_rollup_tables``.

Money is exact (``DECIMAL_T``); latency maxima are exact too. Every recorded request
counts, refusals included: they are traffic, and errors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.usage import UsageRecorded
from projections.latency_buckets import bucket_of
from projections.ports import ReadModelCursor
from projections.usage_rollup_tables import (
    DAILY,
    DDL,
    HOURLY,
    HOURLY_LATENCY,
    KEY,
    LATENCY_BUCKETS,
    LATENCY_KEY,
    TTFT_BUCKETS,
    UPSERT_DAILY,
    UPSERT_HOURLY,
    UPSERT_HOURLY_LATENCY,
)
from projections.values import EXACT, ZERO, hour_of

NO_ERROR_TYPE = ""  # a key column cannot be NULL
# Ids go in as text, made once per event: UUIDs would be hashed and printed once per key.
RollupKey = tuple[str, datetime, str, str, int, str, str]
LatencyKey = tuple[str, datetime, str, str, str, int]
_NO_BUCKETS = dict.fromkeys((*LATENCY_BUCKETS, *TTFT_BUCKETS), 0)


@dataclass
class RollupDelta:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    provider_cost: Decimal = ZERO
    billed_cost: Decimal = ZERO
    latency_max_ms: Decimal = ZERO
    ttft_max_ms: Decimal | None = None
    latency: Counter[int] = field(default_factory=Counter)  # requests per bucket
    ttft: Counter[int] = field(default_factory=Counter)

    def add(self, event: UsageRecorded, latency: int, ttft: int | None) -> None:
        self.requests += 1
        self.prompt_tokens += event.prompt_tokens
        self.completion_tokens += event.completion_tokens
        self.provider_cost = EXACT.add(self.provider_cost, event.provider_cost)
        self.billed_cost = EXACT.add(self.billed_cost, event.billed_cost)
        self.latency_max_ms = max(self.latency_max_ms, event.latency_ms)
        self.latency[latency] += 1
        if ttft is not None:
            self.ttft[ttft] += 1
            self.ttft_max_ms = event.ttft_ms if self.ttft_max_ms is None \
                else max(self.ttft_max_ms, event.ttft_ms)  # type: ignore[type-var]

    def row(self, key: RollupKey) -> dict[str, Any]:
        return {**dict(zip(KEY, key, strict=True)), "requests": self.requests,
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "provider_cost": self.provider_cost, "billed_cost": self.billed_cost,
                "latency_max_ms": self.latency_max_ms, "ttft_max_ms": self.ttft_max_ms}

    def row_with_buckets(self, key: RollupKey) -> dict[str, Any]:
        row = self.row(key) | _NO_BUCKETS
        row.update((LATENCY_BUCKETS[b], n) for b, n in self.latency.items())
        row.update((TTFT_BUCKETS[b], n) for b, n in self.ttft.items())
        return row


@dataclass
class RollupDeltas:
    hourly: dict[RollupKey, RollupDelta] = field(default_factory=dict)
    daily: dict[RollupKey, RollupDelta] = field(default_factory=dict)
    hourly_latency: Counter[LatencyKey] = field(default_factory=Counter)


def rollup_deltas(events: Sequence[Any]) -> RollupDeltas:
    """The batch summed per hour and per day; each event counts once in each."""
    deltas = RollupDeltas()
    for event in events:
        if not isinstance(event, UsageRecorded):
            continue
        hour = hour_of(event.timestamp)
        latency = bucket_of(event.latency_ms)
        ttft = None if event.ttft_ms is None else bucket_of(event.ttft_ms)
        workspace, client = str(event.workspace_id), str(event.client_id)
        rest = (client, event.model, event.status, event.outcome,
                event.error_type or NO_ERROR_TYPE)
        for by, period in ((deltas.hourly, hour), (deltas.daily, hour.replace(hour=0))):
            key = (workspace, period, *rest)
            delta = by.get(key)
            if delta is None:
                delta = by[key] = RollupDelta()
            delta.add(event, latency, ttft)
        cell = (workspace, hour, client, event.model)
        deltas.hourly_latency[(*cell, "latency", latency)] += 1
        if ttft is not None:
            deltas.hourly_latency[(*cell, "ttft", ttft)] += 1
    return deltas


def _in_key_order(keys: Any) -> list[Any]:
    return sorted(keys)


class UsageRollupProjection:
    name = "usage_rollup_v1"
    source = "ledger"
    tables: tuple[str, ...] = (HOURLY, DAILY, HOURLY_LATENCY)

    def ddl(self) -> Sequence[str]:
        return DDL

    def apply(self, events: Sequence[Any], cursor: ReadModelCursor) -> None:
        deltas = rollup_deltas(events)
        cursor.executemany(UPSERT_HOURLY, [deltas.hourly[k].row(k)
                                           for k in _in_key_order(deltas.hourly)])
        cursor.executemany(UPSERT_DAILY, [deltas.daily[k].row_with_buckets(k)
                                          for k in _in_key_order(deltas.daily)])
        cursor.executemany(UPSERT_HOURLY_LATENCY, [
            {**dict(zip(LATENCY_KEY, k, strict=True)), "requests": deltas.hourly_latency[k]}
            for k in _in_key_order(deltas.hourly_latency)])
