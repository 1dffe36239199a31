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


@dataclass(frozen=True, slots=True)
class LedgerMark:
    """A closed cycle or an adjustment, with its place in the ledger: usage events stored
    after a cycle's close are late for it."""

    position: int
    event: Any  # domain.cycle_close.CycleClosed or domain.adjustment.CycleAdjusted


class LedgerLines(Protocol):
    """Usage lines in ledger order. ``count`` is the ledger's latest position, for progress
    reports and as a snapshot."""

    def lines(self, client_id: UUID | None = None) -> Iterator[UsageLine]: ...

    def lines_after(self, position: int) -> Iterator[UsageLine]:
        """Every client's usage lines stored after ``position``."""
        ...

    def count(self) -> int: ...

    def marks(self) -> list[LedgerMark]:
        """Every closed cycle and adjustment, in ledger order (there are few)."""
        ...

    def cycle_closures(self, client_id: UUID) -> list[Any]: ...


class ManagementHistory(Protocol):
    """Every management event, in order (there are few)."""

    def events(self) -> Iterator[Any]: ...
