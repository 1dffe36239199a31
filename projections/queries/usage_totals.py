"""The KPIs of a range: traffic, tokens, cost, active clients and error rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from projections.ports import ReadModelDatabase
from projections.queries.hourly_range import hourly_filter
from projections.values import decimal_of, integer_of


@dataclass(frozen=True)
class UsageTotals:
    requests: int
    errors: int
    prompt_tokens: int
    completion_tokens: int
    provider_cost: Decimal
    billed_cost: Decimal
    active_clients: int  # clients with at least one request in the range

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def error_rate(self) -> float:
        """Share of requests answered with a status of 400 or more; 0 without requests."""
        return self.errors / self.requests if self.requests else 0.0

    @property
    def margin(self) -> Decimal:
        return self.billed_cost - self.provider_cost


def usage_totals(database: ReadModelDatabase, workspace_id: UUID, start: datetime,
                 end: datetime, client_id: UUID | None = None,
                 model: str | None = None) -> UsageTotals:
    where, params = hourly_filter(workspace_id, start, end, client_id, model)
    row = database.fetch_all(
        "SELECT SUM(requests) AS requests, SUM(errors) AS errors, "
        "SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens, "
        "rm_dec_sum(provider_cost) AS provider_cost, rm_dec_sum(billed_cost) AS billed_cost, "
        "COUNT(DISTINCT client_id) AS active_clients "
        f"FROM rm_usage_hourly WHERE {where}", params)[0]
    return UsageTotals(
        requests=integer_of(row["requests"]), errors=integer_of(row["errors"]),
        prompt_tokens=integer_of(row["prompt_tokens"]),
        completion_tokens=integer_of(row["completion_tokens"]),
        provider_cost=decimal_of(row["provider_cost"]),
        billed_cost=decimal_of(row["billed_cost"]),
        active_clients=integer_of(row["active_clients"]))
