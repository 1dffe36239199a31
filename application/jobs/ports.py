"""What the scheduled jobs write: one-off ledger events, each stored at most once."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.adjustment import CycleAdjusted
from domain.cycle_close import CycleClosed


class LedgerAppender(Protocol):
    def append_once(self, event: CycleClosed | CycleAdjusted) -> bool:
        """Stores the event unless one with its id exists; returns whether it stored it."""
        ...

    def is_closed(self, client_id: UUID, cycle_start: datetime) -> bool: ...
