"""Reading closes and adjustments back: which events a closed statement covered, and which
credit and debit notes a period's invoice carries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.audit.ports import LedgerLines, LedgerMark, UsageLine, UsageRecord
from domain.adjustment import CycleAdjusted
from domain.cycle_close import CycleClosed


@dataclass
class LinesUpTo:
    """The ledger as it stood at ``position``: a closed statement covers exactly the
    events stored before its close; later ones are late, and settled by adjustments."""

    ledger: LedgerLines
    position: int

    def lines(self, client_id: UUID | None = None) -> Iterator[UsageLine]:
        for line in self.ledger.lines(client_id):
            if line.position > self.position:
                return
            yield line

    def records(self, client_id: UUID | None = None) -> Iterator[UsageRecord]:
        for record in self.ledger.records(client_id):
            if record[0] > self.position:
                return
            yield record

    def lines_after(self, position: int) -> Iterator[UsageLine]:
        for line in self.ledger.lines_after(position):
            if line.position > self.position:
                return
            yield line

    def count(self) -> int:
        return min(self.ledger.count(), self.position)

    def marks(self) -> list[LedgerMark]:
        return [m for m in self.ledger.marks() if m.position <= self.position]


def closure_of(marks: list[LedgerMark], client_id: UUID,
               cycle_start: datetime) -> LedgerMark | None:
    return next((m for m in marks if isinstance(m.event, CycleClosed)
                 and m.event.client_id == client_id and m.event.cycle_start == cycle_start),
                None)


def adjustments_of(marks: list[LedgerMark], client_id: UUID,
                   cycle_start: datetime) -> list[CycleAdjusted]:
    """The adjustments of one closed cycle, in order."""
    return [m.event for m in marks if isinstance(m.event, CycleAdjusted)
            and m.event.client_id == client_id and m.event.adjusted_start == cycle_start]


def adjustments_landing(marks: list[LedgerMark], client_id: UUID, start: datetime,
                        end: datetime) -> list[CycleAdjusted]:
    """The notes billed in the period from start to end: those landing in a cycle that
    starts within it."""
    return [m.event for m in marks if isinstance(m.event, CycleAdjusted)
            and m.event.client_id == client_id and start <= m.event.applies_start < end]
