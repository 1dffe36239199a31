"""The usage ledger's one event: what a single request used, cost and returned.

Every request that passes authentication gets exactly one: a success, an upstream error,
a limit rejection or a timeout. Each is a stream of its own (version 1, id derived from the
request id), so writing one never reads anything first and a retried duplicate is refused
by the primary key.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import DomainEvent

from domain.ids import GATEWAY_NAMESPACE


class Outcome(StrEnum):
    OK = "ok"
    UPSTREAM_ERROR = "upstream_error"
    REJECTED = "rejected"
    BAD_REQUEST = "bad_request"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    CLIENT_CLOSED = "client_closed"


class UsageSource(StrEnum):
    PROVIDER = "provider"
    ESTIMATED = "estimated"
    NONE = "none"  # nothing was generated: an error before or instead of the answer


def usage_event_id(request_id: str) -> UUID:
    return uuid5(GATEWAY_NAMESPACE, f"request:{request_id}")


class UsageRecorded(DomainEvent):
    request_id: str
    workspace_id: UUID
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
    total_tokens: int
    cached_tokens: int
    reasoning_tokens: int
    usage_source: str
    latency_ms: Decimal
    ttft_ms: Decimal | None
    provider_cost: Decimal
    billed_cost: Decimal
    price_version: int | None
    markup_percent: Decimal
    session_id: str | None
    n8n_workflow_id: str | None
    n8n_execution_id: str | None
    limit_name: str | None
    limit_detail: dict[str, str] | None
    response_id: str | None
    cycle_start: datetime | None
    cycle_end: datetime | None

    @property
    def counts_against_limits(self) -> bool:
        """Admitted requests count; refused ones (limits, bad input, 403) do not."""
        return self.outcome not in (Outcome.REJECTED.value, Outcome.BAD_REQUEST.value)

    @classmethod
    def at(cls, timestamp: datetime, **fields: object) -> UsageRecorded:
        request_id = str(fields["request_id"])
        return cls(originator_id=usage_event_id(request_id), originator_version=1,
                   timestamp=timestamp, **fields)  # type: ignore[arg-type]
