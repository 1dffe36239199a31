"""``rm_key_usage``: what each gateway key has been used for, over its whole life.

Every recorded request counts, refused ones included: the key was presented and accepted.
A batch is summed per key first, so a busy key costs one upsert per batch, not per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.usage import UsageRecorded
from projections.ports import ReadModelCursor
from projections.values import EXACT, ZERO

DDL = (
    """CREATE TABLE IF NOT EXISTS rm_key_usage (
        key_id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        requests BIGINT NOT NULL,
        prompt_tokens BIGINT NOT NULL,
        completion_tokens BIGINT NOT NULL,
        provider_cost DECIMAL_T NOT NULL,
        billed_cost DECIMAL_T NOT NULL,
        last_used_at TIMESTAMP_T NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS rm_key_usage_by_client ON rm_key_usage (workspace_id, client_id)",
)

UPSERT = """INSERT INTO rm_key_usage (key_id, workspace_id, client_id, requests, prompt_tokens,
    completion_tokens, provider_cost, billed_cost, last_used_at)
    VALUES (:key_id, :workspace_id, :client_id, :requests, :prompt_tokens,
            :completion_tokens, :provider_cost, :billed_cost, :last_used_at)
    ON CONFLICT (key_id) DO UPDATE SET
        requests = rm_key_usage.requests + excluded.requests,
        prompt_tokens = rm_key_usage.prompt_tokens + excluded.prompt_tokens,
        completion_tokens = rm_key_usage.completion_tokens + excluded.completion_tokens,
        provider_cost = rm_dec_add(rm_key_usage.provider_cost, excluded.provider_cost),
        billed_cost = rm_dec_add(rm_key_usage.billed_cost, excluded.billed_cost),
        last_used_at = GREATEST(rm_key_usage.last_used_at, excluded.last_used_at)"""


@dataclass
class KeyDelta:
    workspace_id: UUID
    client_id: UUID
    last_used_at: datetime
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    provider_cost: Decimal = field(default=ZERO)
    billed_cost: Decimal = field(default=ZERO)

    def add(self, event: UsageRecorded) -> None:
        self.requests += 1
        self.prompt_tokens += event.prompt_tokens
        self.completion_tokens += event.completion_tokens
        self.provider_cost = EXACT.add(self.provider_cost, event.provider_cost)
        self.billed_cost = EXACT.add(self.billed_cost, event.billed_cost)
        self.last_used_at = max(self.last_used_at, event.timestamp)


def key_deltas(events: Sequence[Any]) -> dict[UUID, KeyDelta]:
    deltas: dict[UUID, KeyDelta] = {}
    for event in events:
        if not isinstance(event, UsageRecorded):
            continue
        delta = deltas.get(event.key_id)
        if delta is None:
            delta = deltas[event.key_id] = KeyDelta(event.workspace_id, event.client_id,
                                                    event.timestamp)
        delta.add(event)
    return deltas


class KeyUsageProjection:
    name = "key_usage_v1"
    source = "ledger"
    tables: tuple[str, ...] = ("rm_key_usage",)

    def ddl(self) -> Sequence[str]:
        return DDL

    def apply(self, events: Sequence[Any], cursor: ReadModelCursor) -> None:
        deltas = key_deltas(events)
        cursor.executemany(UPSERT, [
            vars(deltas[key_id]) | {"key_id": key_id} for key_id in sorted(deltas, key=str)])
