"""Lifetime usage of gateway keys, from ``rm_key_usage``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from projections.ports import ReadModelDatabase
from projections.values import ZERO, decimal_of, integer_of, utc_of


@dataclass(frozen=True)
class KeyUsage:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    provider_cost: Decimal = ZERO
    billed_cost: Decimal = ZERO
    last_used_at: datetime | None = None


def key_usage(database: ReadModelDatabase, workspace_id: UUID,
              key_ids: Iterable[UUID]) -> dict[UUID, KeyUsage]:
    """One entry per key asked for: a key never used, or of another workspace, reads zero."""
    wanted = list(dict.fromkeys(key_ids))
    found = {key_id: KeyUsage() for key_id in wanted}
    if not wanted:
        return found
    params: dict[str, object] = {f"k{i}": key_id for i, key_id in enumerate(wanted)}
    rows = database.fetch_all(
        "SELECT * FROM rm_key_usage WHERE workspace_id = :workspace_id "
        f"AND key_id IN ({', '.join(':' + name for name in params)})",
        params | {"workspace_id": workspace_id})
    for row in rows:
        found[UUID(row["key_id"])] = KeyUsage(
            requests=integer_of(row["requests"]),
            prompt_tokens=integer_of(row["prompt_tokens"]),
            completion_tokens=integer_of(row["completion_tokens"]),
            provider_cost=decimal_of(row["provider_cost"]),
            billed_cost=decimal_of(row["billed_cost"]), last_used_at=utc_of(row["last_used_at"]))
    return found
