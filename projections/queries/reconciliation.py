"""Per-request costs of a client's period, from ``rm_request_log``, for reconciliation."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from projections.ports import ReadModelDatabase
from projections.values import decimal_of, integer_of


def request_costs(database: ReadModelDatabase, workspace_id: UUID, client_id: UUID,
                  start: datetime, end: datetime
                  ) -> dict[str, tuple[int, int, Decimal, Decimal]]:
    """request id → (prompt tokens, completion tokens, provider cost, billed cost)."""
    rows = database.fetch_all(
        "SELECT request_id, prompt_tokens, completion_tokens, provider_cost, billed_cost "
        "FROM rm_request_log WHERE workspace_id = :workspace_id AND client_id = :client_id "
        "AND at >= :start AND at < :end",
        {"workspace_id": workspace_id, "client_id": client_id, "start": start, "end": end})
    return {row["request_id"]: (integer_of(row["prompt_tokens"]),
                                integer_of(row["completion_tokens"]),
                                decimal_of(row["provider_cost"]), decimal_of(row["billed_cost"]))
            for row in rows}
