"""Issue 6's acceptance, and corrections after close: a closed statement is never rewritten;
late events and price corrections become credit or debit notes in the next cycle."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from application.jobs.adjust_closed_cycles import AdjustClosedCycles
from domain.adjustment import CycleAdjusted
from domain.cycle_close import CycleClosed
from domain.cycles import cycle_window
from domain.ids import DEFAULT_WORKSPACE_ID as WS
from domain.money import to_micro_dollars
from domain.usage import UsageRecorded
from infrastructure.audit_wiring import (
    ledger_lines,
    price_history,
    reconcile_window,
    replay_window,
    verify_cycle,
)
from infrastructure.ledger_appender import EventSourcedLedgerAppender
from projections.queries.cycle_usage import usage_for_cycle
from tests.audit.test_audit_replay import FixedClock, _close_current_cycle, mixed_traffic

pytestmark = pytest.mark.slow


def ledger(proxy, kind, at_least: int = 0):
    return [e for e in proxy.usage_events(at_least) if isinstance(e, kind)]


def adjuster(proxy, window) -> AdjustClosedCycles:
    gateway = proxy.gateway
    return AdjustClosedCycles(ledger_lines(gateway), lambda: price_history(gateway),
                              EventSourcedLedgerAppender(gateway.ledger),
                              FixedClock(window.end + timedelta(hours=1)))


def client_of(proxy):
    return proxy.gateway.state.clients[proxy.client_id]


def reconciliation(proxy, window):
    gateway = proxy.gateway
    gateway.projections.catch_up()
    replayed = replay_window(gateway, WS, proxy.client_id, window)
    return replayed, reconcile_window(gateway, WS, proxy.client_id, window, replayed)


def test_after_mixed_traffic_and_a_rebuild_replay_read_model_and_statement_agree(proxy):
    mixed_traffic(proxy)  # errors, a stream, a price change in the middle of the cycle
    gateway = proxy.gateway
    gateway.projections.catch_up()
    gateway.projections.rebuild(list(gateway.projections.projections), timeout=60)
    window = _close_current_cycle(proxy)

    replayed, result = reconciliation(proxy, window)
    [closed] = ledger(proxy, CycleClosed)
    usage = usage_for_cycle(gateway.read_models, WS, proxy.client_id, window.start)

    assert result.agrees, result.differences
    assert "replay ↔ read model" in result.compared
    assert "replay ↔ closed statement" in result.compared
    micro = {to_micro_dollars(x) for x in (replayed.total.billed_cost, usage.billed_cost,
                                           closed.billed_cost)}
    assert len(micro) == 1 and micro != {0}
    assert replayed.total.provider_cost == usage.provider_cost == closed.provider_cost
    assert replayed.total.requests == closed.requests == 13


def test_a_late_event_is_settled_by_a_debit_note_in_the_next_cycle(proxy):
    mixed_traffic(proxy)
    window = _close_current_cycle(proxy)
    [closed] = ledger(proxy, CycleClosed)
    proxy.sdk().chat.completions.create(model="sim-model",
                                        messages=[{"role": "user", "content": "late"}])
    late = ledger(proxy, UsageRecorded, at_least=15)[-1]  # 13 + the close + the late one
    before = reconciliation(proxy, window)[1]
    [unsettled] = verify_cycle(proxy.gateway).execute(proxy.client_id, window.start)

    made = adjuster(proxy, window).execute([client_of(proxy)])
    again = adjuster(proxy, window).execute([client_of(proxy)])

    [note] = ledger(proxy, CycleAdjusted)
    assert made == 1 and again == 0
    assert not before.agrees
    assert before.differences[0].request_ids == (late.request_id,)
    assert f"request {late.request_id}: stored after the close and in no adjustment" \
        in unsettled.problems
    assert note.kind == "debit note" and note.late_request_ids == [late.request_id]
    assert note.late_billed_cost == late.billed_cost > 0 and note.correction_billed_cost == 0
    assert note.adjusted_start == window.start
    following = cycle_window(client_of(proxy).policy, window.end)
    assert (note.applies_start, note.applies_end) == (following.start, following.end)
    # The closed statement is untouched and still verifies; everything reconciles.
    assert ledger(proxy, CycleClosed) == [closed]
    [verified] = verify_cycle(proxy.gateway).execute(proxy.client_id, window.start)
    assert verified.intact, verified.problems
    assert reconciliation(proxy, window)[1].agrees
    # The next cycle's statement carries the note.
    next_statement = replay_window(proxy.gateway, WS, proxy.client_id, following)
    assert [a.sequence for a in next_statement.adjustments] == [1]
    assert next_statement.as_dict()["billed_with_adjustments"] == str(late.billed_cost)


def test_a_price_correction_is_settled_by_a_credit_note_and_applies_from_now(proxy):
    mixed_traffic(proxy)  # version 1 at $1.00/$2.00, then version 2 at $3.00 input
    window = _close_current_cycle(proxy)
    [closed] = ledger(proxy, CycleClosed)
    usage = ledger(proxy, UsageRecorded)
    at_v1 = [e for e in usage if e.price_version == 1 and e.outcome == "ok"]
    at_v2 = [e for e in usage if e.price_version == 2 and e.outcome == "ok"]

    model = proxy.gateway.models.correct_price(WS, "sim-model", 1, "0.50", "2.00", "0.50",
                                               reason="list price was halved on the 1st")
    made = adjuster(proxy, window).execute([client_of(proxy)])
    proxy.gateway.models.correct_price(WS, "sim-model", 2, "2.00", "2.00", "0.50",
                                       reason="wrong input price")
    again = adjuster(proxy, window).execute([client_of(proxy)])

    first, second = ledger(proxy, CycleAdjusted)
    expected_first = sum(Decimal("-0.50") * (e.prompt_tokens - e.cached_tokens) / 1_000_000
                         for e in at_v1)
    expected_second = sum(Decimal("-1.00") * (e.prompt_tokens - e.cached_tokens) / 1_000_000
                          for e in at_v2)
    assert made == 1 and again == 1
    assert [p.version for p in model.prices] == [1, 2]  # v1 was not the latest: no new price
    assert first.kind == "credit note" and first.late_request_ids == []
    assert first.correction_provider_cost == expected_first < 0
    assert first.correction_billed_cost == expected_first * Decimal("1.25")
    assert first.corrections == ["sim-model v1 #1"] and first.corrected_requests == len(at_v1)
    assert second.correction_provider_cost == expected_second
    assert second.corrections == ["sim-model v1 #1", "sim-model v2 #2"]
    assert ledger(proxy, CycleClosed) == [closed]
    assert verify_cycle(proxy.gateway).execute(proxy.client_id, window.start)[0].intact
    assert reconciliation(proxy, window)[1].agrees
    # Correcting the latest version also prices new requests with the corrected rates.
    latest = proxy.gateway.state.model(WS, "sim-model").prices[-1]
    assert (latest.version, latest.input_per_million) == (3, Decimal("2.00"))


def test_a_correction_that_changes_nothing_makes_no_note(proxy):
    mixed_traffic(proxy)
    window = _close_current_cycle(proxy)

    proxy.gateway.models.correct_price(WS, "sim-model", 1, "1.00", "2.00", "0.50",
                                       reason="confirmed: the price was right")

    assert adjuster(proxy, window).execute([client_of(proxy)]) == 0
    assert ledger(proxy, CycleAdjusted) == []
