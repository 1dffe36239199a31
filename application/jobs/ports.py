"""What the scheduled jobs read and write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from domain.cycle_close import CycleClosed


@dataclass(frozen=True)
class CycleTotalsRow:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    provider_cost: Decimal = Decimal(0)
    billed_cost: Decimal = Decimal(0)
    sessions: int = 0


class CycleTotals(Protocol):
    """A client's totals of one cycle, from the usage-per-cycle read model."""

    def totals(self, workspace_id: UUID, client_id: UUID,
               cycle_start: datetime) -> CycleTotalsRow:
        """Zeros for a cycle with no usage."""
        ...

    def caught_up(self) -> bool:
        """Whether the read model has counted every ledger event stored so far."""
        ...


class LedgerAppender(Protocol):
    def append_once(self, event: CycleClosed) -> bool:
        """Stores the event unless one with its id exists; returns whether it stored it."""
        ...
