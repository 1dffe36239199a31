"""Audit use cases over this gateway's stores: one place for the CLI, API and dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from application.audit.price_history import PriceHistory
from application.audit.replay import ReplayStatement
from application.audit.verify import VerifyCycle
from infrastructure.ledger_lines import EventSourcedLedgerLines, EventSourcedManagementHistory

if TYPE_CHECKING:
    from infrastructure.bootstrap import Gateway


def ledger_lines(gateway: Gateway) -> EventSourcedLedgerLines:
    return EventSourcedLedgerLines(gateway.ledger)


def replay_statement(gateway: Gateway) -> ReplayStatement:
    """Prices and markups are read afresh each time: they may have changed since."""
    history = PriceHistory.from_history(EventSourcedManagementHistory(gateway.management))
    return ReplayStatement(ledger_lines(gateway), history)


def verify_cycle(gateway: Gateway) -> VerifyCycle:
    return VerifyCycle(ledger_lines(gateway), replay_statement(gateway))
