"""Who and what the traffic of a range went to: top clients, and the share of each model.

Sums of money come back as text on SQLite, which would sort as text, so ranking happens
here rather than in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from projections.ports import ReadModelDatabase
from projections.queries.hourly_range import hourly_filter
from projections.values import decimal_of, integer_of

SUMS = ("SUM(rm_usage_hourly.requests) AS requests, "
        "SUM(rm_usage_hourly.prompt_tokens + rm_usage_hourly.completion_tokens) AS tokens, "
        "rm_dec_sum(rm_usage_hourly.provider_cost) AS provider_cost, "
        "rm_dec_sum(rm_usage_hourly.billed_cost) AS billed_cost")


@dataclass(frozen=True)
class ClientRank:
    client_id: UUID
    name: str | None  # None if the client is not (yet) in rm_clients
    requests: int
    tokens: int
    provider_cost: Decimal
    billed_cost: Decimal


@dataclass(frozen=True)
class ModelShare:
    model: str
    requests: int
    tokens: int
    billed_cost: Decimal
    share: float  # of the range's requests, 0 to 1


def top_clients(database: ReadModelDatabase, workspace_id: UUID, start: datetime,
                end: datetime, n: int = 10,
                by: Literal["billed_cost", "requests", "tokens"] = "billed_cost",
                ) -> list[ClientRank]:
    if by not in ("billed_cost", "requests", "tokens"):
        raise ValueError("by must be billed_cost, requests or tokens")
    where, params = hourly_filter(workspace_id, start, end)
    rows = database.fetch_all(
        f"SELECT rm_usage_hourly.client_id AS client_id, rm_clients.name AS name, {SUMS} "
        "FROM rm_usage_hourly LEFT JOIN rm_clients ON rm_clients.id = "
        "rm_usage_hourly.client_id AND rm_clients.workspace_id = rm_usage_hourly.workspace_id "
        f"WHERE {where} GROUP BY rm_usage_hourly.client_id, rm_clients.name", params)
    ranks = [ClientRank(
        client_id=UUID(row["client_id"]), name=row["name"],
        requests=integer_of(row["requests"]), tokens=integer_of(row["tokens"]),
        provider_cost=decimal_of(row["provider_cost"]),
        billed_cost=decimal_of(row["billed_cost"])) for row in rows]
    ranks.sort(key=lambda r: (-getattr(r, by), str(r.client_id)))
    return ranks[:n]


def model_distribution(database: ReadModelDatabase, workspace_id: UUID, start: datetime,
                       end: datetime, client_id: UUID | None = None) -> list[ModelShare]:
    """Models by requests, most used first."""
    where, params = hourly_filter(workspace_id, start, end, client_id)
    rows = database.fetch_all(
        f"SELECT model, {SUMS} FROM rm_usage_hourly WHERE {where} GROUP BY model", params)
    total = sum(integer_of(row["requests"]) for row in rows)
    shares = [ModelShare(
        model=row["model"], requests=integer_of(row["requests"]),
        tokens=integer_of(row["tokens"]), billed_cost=decimal_of(row["billed_cost"]),
        share=integer_of(row["requests"]) / total) for row in rows]
    return sorted(shares, key=lambda s: (-s.requests, s.model))
