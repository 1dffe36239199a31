"""The filter every analytics query shares: one workspace, a range of UTC hours, and
optionally one client and one model.

A range covers the whole hours that overlap ``[start, end)``: the hour holding ``start``
counts, and so does the hour holding ``end`` unless ``end`` falls on its first instant.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from projections.values import hour_of


def hourly_filter(workspace_id: UUID, start: datetime, end: datetime,
                  client_id: UUID | None = None, model: str | None = None,
                  table: str = "rm_usage_hourly") -> tuple[str, dict[str, Any]]:
    """A WHERE clause (without the keyword) and its parameters."""
    clauses = [f"{table}.workspace_id = :workspace_id", f"{table}.hour >= :start",
               f"{table}.hour < :end"]
    params: dict[str, Any] = {"workspace_id": workspace_id, "start": hour_of(start),
                              "end": end}
    if client_id is not None:
        clauses.append(f"{table}.client_id = :client_id")
        params["client_id"] = client_id
    if model is not None:
        clauses.append(f"{table}.model = :model")
        params["model"] = model
    return " AND ".join(clauses), params
