"""Appending one-off events (closed cycles) to the usage ledger, at most once each."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError

from domain.cycle_close import CycleClosed


class EventSourcedLedgerAppender:
    def __init__(self, ledger: Application[Any]):
        self.ledger = ledger

    def append_once(self, event: CycleClosed) -> bool:
        try:
            self.ledger.recorder.insert_events([self.ledger.mapper.to_stored_event(event)])
        except IntegrityError:
            return False  # closed already, by this process or another
        return True
