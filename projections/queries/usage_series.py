"""Usage over time, per UTC hour or UTC day, for the dashboard's charts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from projections.ports import ReadModelDatabase
from projections.queries.hourly_range import hourly_filter
from projections.values import EXACT, decimal_of, integer_of, utc_of


@dataclass(frozen=True)
class UsagePoint:
    start: datetime  # the first instant of the hour or day (UTC)
    requests: int
    errors: int
    prompt_tokens: int
    completion_tokens: int
    provider_cost: Decimal
    billed_cost: Decimal

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def plus(self, other: UsagePoint) -> UsagePoint:
        return replace(
            self, requests=self.requests + other.requests, errors=self.errors + other.errors,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            provider_cost=EXACT.add(self.provider_cost, other.provider_cost),
            billed_cost=EXACT.add(self.billed_cost, other.billed_cost))


def hourly_series(database: ReadModelDatabase, workspace_id: UUID, start: datetime,
                  end: datetime, client_id: UUID | None = None, model: str | None = None,
                  group_by: Literal["hour", "day"] = "hour") -> list[UsagePoint]:
    """Points in time order; hours or days without traffic are left out."""
    if group_by not in ("hour", "day"):
        raise ValueError("group_by must be 'hour' or 'day'")
    where, params = hourly_filter(workspace_id, start, end, client_id, model)
    rows = database.fetch_all(
        "SELECT hour, SUM(requests) AS requests, SUM(errors) AS errors, "
        "SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens, "
        "rm_dec_sum(provider_cost) AS provider_cost, rm_dec_sum(billed_cost) AS billed_cost "
        f"FROM rm_usage_hourly WHERE {where} GROUP BY hour ORDER BY hour", params)
    points: dict[datetime, UsagePoint] = {}
    for row in rows:
        hour = utc_of(row["hour"])
        assert hour is not None
        bucket = hour if group_by == "hour" else hour.replace(hour=0)
        point = UsagePoint(
            start=bucket, requests=integer_of(row["requests"]),
            errors=integer_of(row["errors"]), prompt_tokens=integer_of(row["prompt_tokens"]),
            completion_tokens=integer_of(row["completion_tokens"]),
            provider_cost=decimal_of(row["provider_cost"]),
            billed_cost=decimal_of(row["billed_cost"]))
        points[bucket] = points[bucket].plus(point) if bucket in points else point
    return list(points.values())
