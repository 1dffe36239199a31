"""The latest requests of a workspace, or of one of its clients, from ``rm_request_log``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from projections.ports import ReadModelDatabase, Row
from projections.values import decimal_of, integer_of, optional_decimal, utc_of

MAX_LIMIT = 1_000


@dataclass(frozen=True)
class LoggedRequest:
    request_id: str
    at: datetime
    client_id: UUID
    key_id: UUID
    endpoint: str
    model: str
    stream: bool
    status: int
    outcome: str
    error_type: str | None
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int
    provider_cost: Decimal
    billed_cost: Decimal
    latency_ms: Decimal
    ttft_ms: Decimal | None
    session_id: str | None
    usage_source: str
    limit_name: str | None


def _logged(row: Row) -> LoggedRequest:
    at = utc_of(row["at"])
    assert at is not None
    return LoggedRequest(
        request_id=row["request_id"], at=at, client_id=UUID(row["client_id"]),
        key_id=UUID(row["key_id"]), endpoint=row["endpoint"], model=row["model"],
        stream=bool(row["stream"]), status=integer_of(row["status"]), outcome=row["outcome"],
        error_type=row["error_type"], prompt_tokens=integer_of(row["prompt_tokens"]),
        completion_tokens=integer_of(row["completion_tokens"]),
        cached_tokens=integer_of(row["cached_tokens"]),
        provider_cost=decimal_of(row["provider_cost"]),
        billed_cost=decimal_of(row["billed_cost"]), latency_ms=decimal_of(row["latency_ms"]),
        ttft_ms=optional_decimal(row["ttft_ms"]), session_id=row["session_id"],
        usage_source=row["usage_source"], limit_name=row["limit_name"])


def recent_requests(database: ReadModelDatabase, workspace_id: UUID, limit: int = 50,
                    client_id: UUID | None = None) -> list[LoggedRequest]:
    """Newest first; ``limit`` is capped at 1,000."""
    where = "workspace_id = :workspace_id"
    params: dict[str, Any] = {"workspace_id": workspace_id,
                              "limit": max(0, min(limit, MAX_LIMIT))}
    if client_id is not None:
        where += " AND client_id = :client_id"
        params["client_id"] = client_id
    rows = database.fetch_all(
        f"SELECT * FROM rm_request_log WHERE {where} "
        "ORDER BY at DESC, request_id DESC LIMIT :limit", params)
    return [_logged(row) for row in rows]
