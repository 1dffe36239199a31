"""Closing each client's last cycle once it has ended and been fully counted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from application.jobs.ports import CycleTotals, LedgerAppender
from application.ports import Clock
from domain.client import Client
from domain.cycle_close import CycleClosed
from domain.cycles import cycle_window

# Requests in flight at the cycle's end are recorded with their start time, so wait for
# the slowest of them before fixing the totals.
SETTLING_TIME = timedelta(minutes=10)


@dataclass
class CloseCycles:
    totals: CycleTotals
    ledger: LedgerAppender
    clock: Clock

    def execute(self, clients: Iterable[Client]) -> int:
        now, closed = self.clock.now(), 0
        if not self.totals.caught_up():
            return 0  # totals would miss events the read model has not counted yet
        for client in clients:
            policy = client.policy
            current = cycle_window(policy, now)
            previous = cycle_window(policy, current.start - timedelta(microseconds=1))
            if now < previous.end + SETTLING_TIME or client.created_on >= previous.end:
                continue
            row = self.totals.totals(client.workspace_id, client.id, previous.start)
            event = CycleClosed.at(
                now, workspace_id=client.workspace_id, client_id=client.id,
                cycle_start=previous.start, cycle_end=previous.end, label=previous.label,
                requests=row.requests, prompt_tokens=row.prompt_tokens,
                completion_tokens=row.completion_tokens, provider_cost=row.provider_cost,
                billed_cost=row.billed_cost, sessions=row.sessions)
            closed += self.ledger.append_once(event)
        return closed
