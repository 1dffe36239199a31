"""Appending one-off events (closed cycles, adjustments) to the usage ledger, at most once
each."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError

from domain.adjustment import CycleAdjusted
from domain.cycle_close import CycleClosed, cycle_close_id


class EventSourcedLedgerAppender:
    def __init__(self, ledger: Application[Any]):
        self.ledger = ledger

    def is_closed(self, client_id: UUID, cycle_start: datetime) -> bool:
        return bool(self.ledger.recorder.select_events(cycle_close_id(client_id, cycle_start),
                                                       limit=1))

    def append_once(self, event: CycleClosed | CycleAdjusted) -> bool:
        try:
            self.ledger.recorder.insert_events([self.ledger.mapper.to_stored_event(event)])
        except IntegrityError:
            return False  # stored already, by this process or another
        return True
