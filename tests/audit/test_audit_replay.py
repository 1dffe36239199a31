"""Statements replayed from the raw ledger; closing a cycle; tamper evidence."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import openai
import psycopg
import pytest

from application.audit.price_history import PriceHistory
from application.audit.replay import ReplayStatement
from application.audit.verify import VerifyCycle
from application.jobs.close_cycles import SETTLING_TIME, CloseCycles
from domain.cycles import cycle_window
from domain.ids import DEFAULT_WORKSPACE_ID as WS
from infrastructure.ledger_appender import EventSourcedLedgerAppender
from infrastructure.ledger_lines import EventSourcedLedgerLines, EventSourcedManagementHistory

pytestmark = pytest.mark.slow


@dataclass
class FixedClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment


def replay_of(gateway) -> ReplayStatement:
    return ReplayStatement(EventSourcedLedgerLines(gateway.ledger), PriceHistory.from_history(
        EventSourcedManagementHistory(gateway.management)))


def mixed_traffic(proxy) -> None:
    sdk = proxy.sdk()
    proxy.gateway.clients.set_markup(WS, proxy.client_id, "25")
    for n in range(5):
        sdk.chat.completions.create(model="sim-model",
                                    messages=[{"role": "user", "content": f"hello {n}"}])
    list(sdk.chat.completions.create(model="sim-model", stream=True,
                                     messages=[{"role": "user", "content": "stream"}]))
    with pytest.raises(openai.InternalServerError):
        sdk.chat.completions.create(model="sim-model", messages=[
            {"role": "user", "content": "[[sim:error=500]]"}])
    proxy.gateway.models.configure(WS, "sim-model", input_per_million="3.00")  # mid-cycle
    for n in range(3):
        sdk.embeddings.create(model="sim-model", input=f"text {n}")
        sdk.chat.completions.create(model="sim-model",
                                    messages=[{"role": "user", "content": f"after {n}"}])


def test_the_replayed_statement_matches_every_recorded_cost_exactly(proxy):
    mixed_traffic(proxy)
    events = proxy.usage_events()
    now = proxy.gateway.clock.now()

    statement = replay_of(proxy.gateway).execute(proxy.client_id, now - timedelta(days=1),
                                                 now + timedelta(minutes=1), WS)

    assert statement.discrepancies == []
    assert statement.total.requests == len(events) == 13
    assert statement.total.provider_cost == sum(e.provider_cost for e in events)
    assert statement.total.billed_cost == sum(e.billed_cost for e in events)
    assert statement.total.billed_cost == statement.total.provider_cost * Decimal("1.25")
    assert {e.price_version for e in events if e.outcome == "ok"} == {1, 2}
    assert set(statement.by_model) == {"sim-model"}


def _close_current_cycle(proxy):
    client = proxy.gateway.state.clients[proxy.client_id]
    window = cycle_window(client.policy, proxy.gateway.clock.now())
    job = CloseCycles(lambda: replay_of(proxy.gateway),
                      EventSourcedLedgerAppender(proxy.gateway.ledger),
                      FixedClock(window.end + SETTLING_TIME + timedelta(minutes=1)))
    assert job.execute([client]) == 1
    return window


def _tamper_with_one_event(gateway, request_id: str) -> None:
    url = gateway.database
    if url.backend == "sqlite":
        with sqlite3.connect(url.sqlite_path) as connection:
            rows = connection.execute("SELECT rowid, state FROM ledger_events").fetchall()
            rowid, state = next(r for r in rows if request_id.encode() in r[1])
            changed = state.replace(b'"completion_tokens":', b'"completion_tokens":1', 1)
            connection.execute("UPDATE ledger_events SET state = ? WHERE rowid = ?",
                               (changed, rowid))
        return
    with psycopg.connect(url.psycopg_conninfo(), autocommit=True) as connection:
        rows = connection.execute("SELECT notification_id, state FROM ledger_events").fetchall()
        position, state = next(r for r in rows if request_id.encode() in bytes(r[1]))
        changed = bytes(state).replace(b'"completion_tokens":', b'"completion_tokens":1', 1)
        connection.execute("UPDATE ledger_events SET state = %s WHERE notification_id = %s",
                           (changed, position))


def test_a_closed_cycle_verifies_until_one_byte_of_one_event_changes(proxy):
    mixed_traffic(proxy)
    window = _close_current_cycle(proxy)
    verify = VerifyCycle(EventSourcedLedgerLines(proxy.gateway.ledger), replay_of(proxy.gateway))

    [before] = verify.execute(proxy.client_id, window.start)
    victim = proxy.usage_events()[2].request_id
    _tamper_with_one_event(proxy.gateway, victim)
    [after] = verify.execute(proxy.client_id, window.start)

    assert before.intact and before.actual_events == 13
    assert not after.intact
    assert f"request {victim}: event altered" in after.problems


def test_closing_the_same_cycle_again_emits_nothing(proxy):
    mixed_traffic(proxy)
    _close_current_cycle(proxy)
    client = proxy.gateway.state.clients[proxy.client_id]
    window = cycle_window(client.policy, proxy.gateway.clock.now())

    again = CloseCycles(lambda: replay_of(proxy.gateway),
                        EventSourcedLedgerAppender(proxy.gateway.ledger),
                        FixedClock(window.end + timedelta(hours=1))).execute([client])

    assert again == 0
