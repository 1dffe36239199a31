"""Scheduled jobs over in-memory persistence: each is idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from application.audit.price_history import PriceHistory
from application.audit.replay import ReplayStatement
from application.jobs.close_cycles import CloseCycles
from application.jobs.expire_keys import ExpireKeys
from domain.ids import DEFAULT_WORKSPACE_ID as WS
from infrastructure.ledger_appender import EventSourcedLedgerAppender
from infrastructure.ledger_lines import EventSourcedLedgerLines, EventSourcedManagementHistory


@dataclass
class FixedClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment


def replay_of(gateway):
    return lambda: ReplayStatement(
        EventSourcedLedgerLines(gateway.ledger),
        PriceHistory.from_history(EventSourcedManagementHistory(gateway.management)))


def test_expiring_keys_emits_one_expired_event_per_key_however_often_it_runs(memory_gateway):
    now = memory_gateway.clock.now()
    client = memory_gateway.clients.register(WS, "Acme")
    memory_gateway.keys.issue(WS, client.id, "short", now + timedelta(hours=1))
    memory_gateway.keys.issue(WS, client.id, "forever")
    job = ExpireKeys(memory_gateway.keys.store, FixedClock(now + timedelta(hours=2)))

    first = job.execute(list(memory_gateway.state.keys.values()))
    second = job.execute(list(memory_gateway.state.keys.values()))

    topics = [n.topic for n in memory_gateway.management.recorder.select_notifications(
        start=1, limit=10_000)]
    assert (first, second) == (1, 0)
    assert topics.count("llm_gateway:ApiKey.Expired") == 1


def test_closing_cycles_emits_each_closed_cycle_once(memory_gateway):
    client = memory_gateway.clients.register(WS, "Acme")
    later = FixedClock(datetime.now(UTC) + timedelta(days=40))
    job = CloseCycles(replay_of(memory_gateway),
                      EventSourcedLedgerAppender(memory_gateway.ledger), later)

    first = job.execute([client])
    second = job.execute([client])

    [stored] = memory_gateway.ledger.recorder.select_notifications(start=1, limit=10)
    closed = memory_gateway.ledger.mapper.to_domain_event(stored)
    assert (first, second) == (1, 0)
    assert (closed.client_id, closed.requests, closed.billed_cost) == (client.id, 0, 0)
    assert closed.cycle_end <= later.moment and closed.digest


def test_the_current_cycle_is_never_closed(memory_gateway):
    client = memory_gateway.clients.register(WS, "Acme")
    job = CloseCycles(replay_of(memory_gateway),
                      EventSourcedLedgerAppender(memory_gateway.ledger), memory_gateway.clock)

    assert job.execute([client]) == 0
