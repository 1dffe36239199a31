"""What an audit reads: the ledger's usage lines, raw, and the history of prices and
markups. Never a read model: an audit must stand on the events alone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class UsageLine:
    """One UsageRecorded event as stored, with the exact bytes it was stored as."""

    position: int
    stored: bytes
    request_id: str
    at: datetime
    workspace_id: UUID
    client_id: UUID
    key_id: UUID
    endpoint: str
    model: str
    status: int
    outcome: str
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int
    provider_cost: Decimal
    billed_cost: Decimal
    price_version: int | None
    markup_percent: Decimal


class LedgerLines(Protocol):
    """Usage lines in ledger order. ``count`` is how many events the ledger holds in all,
    for progress reports."""

    def lines(self, client_id: UUID | None = None) -> Iterator[UsageLine]: ...

    def count(self) -> int: ...

    def cycle_closures(self, client_id: UUID) -> list[Any]: ...


class ManagementHistory(Protocol):
    """Every management event, in order (there are few)."""

    def events(self) -> Iterator[Any]: ...
