"""What a client has used in one billing cycle, as counted by ``rm_usage_per_cycle``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from projections.ports import ReadModelDatabase
from projections.values import ZERO, decimal_of, integer_of, utc_of


@dataclass(frozen=True)
class CycleUsage:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    provider_cost: Decimal = ZERO
    billed_cost: Decimal = ZERO
    sessions: int = 0
    rejected: int = 0
    cycle_end: datetime | None = None


def usage_for_cycle(database: ReadModelDatabase, workspace_id: UUID, client_id: UUID,
                    cycle_start: datetime) -> CycleUsage:
    """Zero usage when the cycle has no counted request yet."""
    rows = database.fetch_all(
        "SELECT * FROM rm_usage_per_cycle WHERE workspace_id = :workspace_id "
        "AND client_id = :client_id AND cycle_start = :cycle_start",
        {"workspace_id": workspace_id, "client_id": client_id, "cycle_start": cycle_start})
    if not rows:
        return CycleUsage()
    row = rows[0]
    return CycleUsage(
        requests=integer_of(row["requests"]), prompt_tokens=integer_of(row["prompt_tokens"]),
        completion_tokens=integer_of(row["completion_tokens"]),
        total_tokens=integer_of(row["total_tokens"]),
        provider_cost=decimal_of(row["provider_cost"]),
        billed_cost=decimal_of(row["billed_cost"]), sessions=integer_of(row["sessions"]),
        rejected=integer_of(row["rejected"]), cycle_end=utc_of(row["cycle_end"]))
