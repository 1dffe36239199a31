"""Scheduled jobs over in-memory persistence: each is idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

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


def _closed_cycle_with_one_request(gateway):
    from domain.cycles import cycle_window
    from tests.projections.usage_events import store, usage

    client = gateway.clients.register(WS, "Acme")
    gateway.models.configure(WS, "gpt-4o", True, "2.50", "10.00")
    window = cycle_window(client.policy, gateway.clock.now())
    made = lambda: usage(window.start + timedelta(minutes=1), client_id=client.id,  # noqa: E731
                         markup_percent=Decimal(0), provider_cost=Decimal("0.00075"),
                         billed_cost=Decimal("0.00075"), cycle_start=window.start,
                         cycle_end=window.end)
    store(gateway, [made()])
    after = FixedClock(window.end + timedelta(hours=1))
    assert CloseCycles(replay_of(gateway), EventSourcedLedgerAppender(gateway.ledger),
                       after).execute([client]) == 1
    return client, after, made


def _adjuster(gateway, clock):
    from application.jobs.adjust_closed_cycles import AdjustClosedCycles
    from infrastructure.ledger_lines import EventSourcedLedgerLines

    return AdjustClosedCycles(
        EventSourcedLedgerLines(gateway.ledger),
        lambda: PriceHistory.from_history(EventSourcedManagementHistory(gateway.management)),
        EventSourcedLedgerAppender(gateway.ledger), clock)


def _notes(gateway):
    from domain.adjustment import CycleAdjusted

    events = (gateway.ledger.mapper.to_domain_event(n) for n in
              gateway.ledger.recorder.select_notifications(start=1, limit=10_000))
    return [e for e in events if isinstance(e, CycleAdjusted)]


def test_each_late_event_is_adjusted_once_across_runs_and_restarts(memory_gateway):
    from tests.projections.usage_events import store

    client, after, made = _closed_cycle_with_one_request(memory_gateway)
    job = _adjuster(memory_gateway, after)
    nothing_late = job.execute([client])
    first = made()
    store(memory_gateway, [first])

    runs = [job.execute([client]), job.execute([client])]
    restarted = _adjuster(memory_gateway, after)  # a new process follows from the close
    second = made()
    store(memory_gateway, [second])
    runs += [restarted.execute([client]), restarted.execute([client])]

    notes = _notes(memory_gateway)
    assert nothing_late == 0 and runs == [1, 0, 1, 0]
    assert [n.late_request_ids for n in notes] == [[first.request_id], [second.request_id]]
    assert [n.sequence for n in notes] == [1, 2]
    assert all(n.late_billed_cost == Decimal("0.00075") for n in notes)


def test_a_correction_credits_the_difference_with_the_recorded_markup(memory_gateway):
    client, after, _ = _closed_cycle_with_one_request(memory_gateway)
    memory_gateway.models.correct_price(WS, "gpt-4o", 1, "1.25", "10.00", reason="halved")

    made = _adjuster(memory_gateway, after).execute([client])

    [note] = _notes(memory_gateway)
    assert made == 1 and note.kind == "credit note"
    assert note.correction_provider_cost == Decimal("-0.000125")  # 100 tokens × -$1.25/M
    assert note.correction_billed_cost == Decimal("-0.000125")  # markup 0 was recorded
