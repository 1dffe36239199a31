"""Closing each client's last cycle once it has ended: a statement from the raw ledger."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from application.audit.replay import ReplayStatement
from application.jobs.ports import LedgerAppender
from application.ports import Clock
from domain.client import Client
from domain.cycle_close import CycleClosed
from domain.cycles import cycle_window

# Requests in flight at the cycle's end are recorded with their start time, so wait for
# the slowest of them before fixing the totals.
SETTLING_TIME = timedelta(minutes=10)


@dataclass
class CloseCycles:
    replay: Callable[[], ReplayStatement]  # fresh each run: prices may have changed
    ledger: LedgerAppender
    clock: Clock

    def execute(self, clients: Iterable[Client]) -> int:
        now, closed = self.clock.now(), 0
        replay: ReplayStatement | None = None
        for client in clients:
            current = cycle_window(client.policy, now)
            previous = cycle_window(client.policy, current.start - timedelta(microseconds=1))
            if now < previous.end + SETTLING_TIME or client.created_on >= previous.end \
                    or self.ledger.is_closed(client.id, previous.start):
                continue
            replay = replay or self.replay()
            statement = replay.execute(client.id, previous.start, previous.end,
                                       client.workspace_id)
            total = statement.total
            event = CycleClosed.at(
                now, workspace_id=client.workspace_id, client_id=client.id,
                cycle_start=previous.start, cycle_end=previous.end, label=previous.label,
                requests=total.requests, prompt_tokens=total.prompt_tokens,
                completion_tokens=total.completion_tokens, provider_cost=total.provider_cost,
                billed_cost=total.billed_cost, digest=statement.chain.head,
                events=statement.chain.count, day_digests=statement.chain.days,
                event_hashes=statement.chain.events)
            closed += self.ledger.append_once(event)
        return closed
