"""Usage of a range, shaped for the screens: a gap-free series, totals and rankings.

The sums come from ``projections.dashboard_queries``, in one read of the range; here they
are only rearranged, and money stays Decimal until a chart turns it into points.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from dashboard.ranges import Window, step_of, steps
from projections.dashboard_queries import ErrorCount, Usage, usage_breakdown
from projections.ports import ReadModelDatabase
from projections.values import exact_sum


@dataclass
class Point:
    at: datetime
    requests: int = 0
    errors: int = 0
    tokens: int = 0
    provider_cost: Decimal = Decimal(0)
    billed_cost: Decimal = Decimal(0)


@dataclass(frozen=True)
class Totals:
    requests: int
    errors: int
    tokens: int
    provider_cost: Decimal
    billed_cost: Decimal
    active_clients: int


def series(per_period: list[Usage], window: Window) -> list[Point]:
    points = {at: Point(at) for at in steps(window)}
    for usage in per_period:
        point = points.get(step_of(usage.group, window))  # type: ignore[arg-type]
        if point is None:
            continue
        point.requests += usage.requests
        point.errors += usage.errors
        point.tokens += usage.tokens
        point.provider_cost += usage.provider_cost
        point.billed_cost += usage.billed_cost
    return list(points.values())


def totals(per_client: list[Usage]) -> Totals:
    return Totals(
        requests=sum(u.requests for u in per_client),
        errors=sum(u.errors for u in per_client),
        tokens=sum(u.tokens for u in per_client),
        provider_cost=exact_sum(u.provider_cost for u in per_client),
        billed_cost=exact_sum(u.billed_cost for u in per_client),
        active_clients=sum(1 for u in per_client if u.requests),
    )


def ranked_by_billed(per_client: list[Usage], limit: int | None = None) -> list[Usage]:
    ranked = sorted(per_client, key=lambda u: (-u.billed_cost, -u.requests, str(u.group)))
    return ranked[:limit] if limit else ranked


@dataclass(frozen=True)
class RangeUsage:
    window: Window
    points: list[Point]
    per_client: list[Usage]
    per_model: list[Usage]
    errors: list[ErrorCount]
    totals: Totals


def range_usage(db: ReadModelDatabase, workspace_id: UUID, window: Window,
                client_id: UUID | None = None) -> RangeUsage:
    """A window drawn by day is read by day, except for the hours at its two ends."""
    found = usage_breakdown(db, workspace_id, window.start, window.end,
                            by_hour=window.step_name == "hour", client_id=client_id)
    return RangeUsage(window, series(found.per_period, window), found.per_client,
                      found.per_model, found.errors, totals(found.per_client))
