"""Clients of a workspace, searched by name, email or company and filtered by status."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from projections.ports import ReadModelDatabase, Row
from projections.values import decimal_of, utc_of

MAX_LIMIT = 1_000


@dataclass(frozen=True)
class ClientSummary:
    id: UUID
    name: str
    email: str | None
    company: str | None
    phone: str | None
    status: str
    status_reason: str | None
    markup_percent: Decimal
    limit_policy: dict[str, Any]
    created_at: datetime
    updated_at: datetime


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _summary(row: Row) -> ClientSummary:
    return ClientSummary(
        id=UUID(row["id"]), name=row["name"], email=row["email"], company=row["company"],
        phone=row["phone"], status=row["status"], status_reason=row["status_reason"],
        markup_percent=decimal_of(row["markup_percent"]),
        limit_policy=json.loads(row["limit_policy"]),
        created_at=utc_of(row["created_at"]),  # type: ignore[arg-type]
        updated_at=utc_of(row["updated_at"]))  # type: ignore[arg-type]


def search_clients(database: ReadModelDatabase, workspace_id: UUID, search: str | None = None,
                   status: str | None = None, limit: int = 100,
                   offset: int = 0) -> list[ClientSummary]:
    """Oldest first; ``search`` is a case-insensitive substring of name, email or company."""
    clauses = ["workspace_id = :workspace_id"]
    params: dict[str, Any] = {"workspace_id": workspace_id,
                              "limit": max(0, min(limit, MAX_LIMIT)), "offset": max(0, offset)}
    if search and search.strip():
        params["pattern"] = _like_pattern(search.strip())
        clauses.append("(" + " OR ".join(
            f"LOWER(COALESCE({column}, '')) LIKE :pattern ESCAPE '\\'"
            for column in ("name", "email", "company")) + ")")
    if status:
        clauses.append("status = :status")
        params["status"] = status
    rows = database.fetch_all(
        f"SELECT * FROM rm_clients WHERE {' AND '.join(clauses)} "
        "ORDER BY created_at, id LIMIT :limit OFFSET :offset", params)
    return [_summary(row) for row in rows]
