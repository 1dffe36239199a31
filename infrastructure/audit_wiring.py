"""Audit use cases over this gateway's stores: one place for the CLI, API and dashboard."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from application.audit.adjustments import (
    LinesUpTo,
    adjustments_landing,
    adjustments_of,
    closure_of,
)
from application.audit.period import CUSTOM, audit_window
from application.audit.price_history import PriceHistory
from application.audit.provider_export import provider_costs
from application.audit.reconcile import ClosedAccount, Reconciliation, reconcile
from application.audit.replay import ReplayStatement
from application.audit.statement import Statement
from application.audit.verify import VerifyCycle
from application.jobs.adjust_closed_cycles import AdjustClosedCycles
from domain.cycles import CycleWindow
from domain.errors import NotFound
from infrastructure.ledger_appender import EventSourcedLedgerAppender
from infrastructure.ledger_lines import EventSourcedLedgerLines, EventSourcedManagementHistory
from infrastructure.postgres_ledger_lines import PostgresLedgerLines
from projections.queries.cycle_usage import usage_for_cycle
from projections.queries.reconciliation import request_costs

if TYPE_CHECKING:
    from infrastructure.bootstrap import Gateway

READ_MODEL_TOTALS = ("requests", "prompt_tokens", "completion_tokens", "provider_cost",
                     "billed_cost")


def ledger_lines(gateway: Gateway) -> EventSourcedLedgerLines:
    url = gateway.database
    if url.backend == "postgres":
        return PostgresLedgerLines(gateway.ledger, url.psycopg_conninfo(), url.schema or "public")
    return EventSourcedLedgerLines(gateway.ledger)


def price_history(gateway: Gateway) -> PriceHistory:
    return PriceHistory.from_history(EventSourcedManagementHistory(gateway.management))


def replay_statement(gateway: Gateway) -> ReplayStatement:
    """Prices and markups are read afresh each time: they may have changed since."""
    return ReplayStatement(ledger_lines(gateway), price_history(gateway))


def adjust_closed_cycles(gateway: Gateway) -> AdjustClosedCycles:
    """One per process: it remembers how far it has followed the ledger."""
    return AdjustClosedCycles(ledger_lines(gateway), lambda: price_history(gateway),
                              EventSourcedLedgerAppender(gateway.ledger), gateway.clock)


def verify_cycle(gateway: Gateway) -> VerifyCycle:
    return VerifyCycle(ledger_lines(gateway), replay_statement(gateway))


def window_of(gateway: Gateway, workspace_id: UUID, client_id: UUID, cycle: str | None = None,
              start: str | None = None, end: str | None = None) -> CycleWindow:
    """The period to audit, in the client's own cycles; a client of another workspace is
    not found."""
    client = gateway.state.client(workspace_id, client_id)
    if client is None:
        raise NotFound(f"client {client_id} not found in this workspace")
    return audit_window(client.policy, gateway.clock.now(), cycle, start, end)


def replay_window(gateway: Gateway, workspace_id: UUID, client_id: UUID, window: CycleWindow,
                  progress: Callable[[int], None] | None = None) -> Statement:
    """The period's usage, and the notes for earlier cycles that its invoice carries."""
    ledger = ledger_lines(gateway)
    statement = replay_statement(gateway).execute(client_id, window.start, window.end,
                                                  workspace_id, progress)
    statement.adjustments = [a for a in adjustments_landing(
        ledger.marks(), client_id, window.start, window.end) if a.workspace_id == workspace_id]
    return statement


def reconcile_window(gateway: Gateway, workspace_id: UUID, client_id: UUID,
                     window: CycleWindow, replayed: Statement,
                     provider_export: str | None = None) -> Reconciliation:
    """Gathers the other accounts of ``replayed``: the read models' cycle totals (for a
    whole cycle) and request lines, the closed statement, and a provider export's text."""
    totals = {}
    if window.label != CUSTOM:
        usage = usage_for_cycle(gateway.read_models, workspace_id, client_id, window.start)
        totals = {name: getattr(usage, name) for name in READ_MODEL_TOTALS}
    lines = request_costs(gateway.read_models, workspace_id, client_id, window.start,
                          window.end)
    closed = _closed_account(gateway, workspace_id, client_id, window)
    export = by_day_model = None
    if provider_export is not None:
        export = provider_costs(provider_export)
        by_day_model = _workspace_costs(gateway, workspace_id, window)
    return reconcile(replayed, totals, lines, closed, export, by_day_model)


def _closed_account(gateway: Gateway, workspace_id: UUID, client_id: UUID,
                    window: CycleWindow) -> ClosedAccount | None:
    ledger = ledger_lines(gateway)
    marks = ledger.marks()
    mark = closure_of(marks, client_id, window.start)
    if mark is None or mark.event.workspace_id != workspace_id:
        return None
    as_closed = ReplayStatement(LinesUpTo(ledger, mark.position), price_history(gateway))
    return ClosedAccount(mark.event, as_closed.execute(client_id, window.start, window.end,
                                                       workspace_id),
                         adjustments_of(marks, client_id, window.start))


def _workspace_costs(gateway: Gateway, workspace_id: UUID,
                     window: CycleWindow) -> dict[tuple[str, str], Decimal]:
    """The provider bills the whole account: compare against every client's usage."""
    replay = replay_statement(gateway)
    costs: dict[tuple[str, str], Decimal] = {}
    for client in gateway.state.clients_of(workspace_id):
        statement = replay.execute(client.id, window.start, window.end, workspace_id)
        for key, totals in statement.by_day_model.items():
            costs[key] = costs.get(key, Decimal(0)) + totals.provider_cost
    return costs
