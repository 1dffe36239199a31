"""The fast replay gives exactly the statement a plain line-by-line replay gives."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from application.audit import hash_chain
from application.audit.price_history import PriceHistory
from domain.ids import DEFAULT_WORKSPACE_ID as WS
from domain.money import apply_markup
from domain.usage import UsageRecorded
from infrastructure.audit_wiring import replay_statement
from infrastructure.ledger_lines import EventSourcedManagementHistory
from tests.audit.reference_replay import reference_statement

MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo-instruct", "text-embedding-3-small")
TOKYO, NEW_YORK = timezone(timedelta(hours=9)), timezone(timedelta(hours=-5))


class Ledger:
    """Writes usage events costed as the gateway would, unless told otherwise."""

    def __init__(self, gateway: Any, client_id: UUID):
        self.gateway, self.client_id, self.written = gateway, client_id, 0
        self.keys = [uuid4() for _ in range(3)]
        self.prices_changed()

    def prices_changed(self) -> None:
        self.history = PriceHistory.from_history(
            EventSourcedManagementHistory(self.gateway.management))

    def usage(self, at: datetime, model: str = "gpt-4o-mini", markup: str = "10",
              version: int | None = None, prompt: int = 1200, completion: int = 300,
              cached: int = 0, outcome: str = "ok", provider: Decimal | None = None,
              billed: Decimal | None = None, client_id: UUID | None = None,
              key: int = 0) -> str:
        price = self.history.price(WS, model, at)
        if version is None and price is not None:
            version = price.version
        if version is not None:
            price = self.history.version(WS, model, version) or price
        cost = price.cost(prompt, completion, cached) if price else Decimal(0)
        provider = cost if provider is None else provider
        self.written += 1
        request_id = f"req_{self.written}"
        event = UsageRecorded.at(
            at, request_id=request_id, workspace_id=WS,
            client_id=client_id or self.client_id, key_id=self.keys[key],
            endpoint="chat.completions", model=model, stream=False,
            status=429 if outcome == "rejected" else 200, outcome=outcome, error_type=None,
            prompt_tokens=prompt, completion_tokens=completion,
            total_tokens=prompt + completion, cached_tokens=cached, reasoning_tokens=0,
            usage_source="provider", latency_ms=Decimal("3.5"), ttft_ms=None,
            provider_cost=provider,
            billed_cost=apply_markup(cost, Decimal(markup)) if billed is None else billed,
            price_version=version, markup_percent=Decimal(markup), session_id=None,
            n8n_workflow_id=None, n8n_execution_id=None, limit_name=None,
            limit_detail=None, response_id=None, cycle_start=None, cycle_end=None)
        recorder, mapper = self.gateway.ledger.recorder, self.gateway.ledger.mapper
        recorder.insert_events([mapper.to_stored_event(event)])
        return request_id


def mixed_ledger(gateway: Any) -> tuple[Ledger, datetime, set[tuple[str, str]]]:
    """A cycle with a markup change, a price change mid-cycle, cached tokens, refusals,
    three days in three time zones and tampered events; returns the ledger, the start
    of the cycle and the discrepancies a replay must find."""
    client = gateway.clients.register(WS, "Acme")
    gateway.clients.set_markup(WS, client.id, "10")
    ten_from = datetime.now(UTC)
    ledger, expected = Ledger(gateway, client.id), set()
    ledger.usage(ten_from - timedelta(hours=1))  # before the cycle
    ledger.usage(ten_from + timedelta(milliseconds=1), client_id=uuid4())  # someone else
    ledger.usage(ten_from + timedelta(milliseconds=2))
    ledger.usage(ten_from + timedelta(milliseconds=3), cached=1000, key=1)
    gateway.clients.set_markup(WS, client.id, "25")
    changed = datetime.now(UTC)
    # Within the tolerance of a change (a process that learned of it late), 10 still holds.
    ledger.usage(ten_from + timedelta(seconds=5))
    expected.add((ledger.usage(changed + timedelta(seconds=30)), "markup_percent"))
    price_from = changed + timedelta(hours=2)
    gateway.models.configure(WS, "gpt-4o-mini", input_per_million="0.20",
                             effective_from=price_from)
    ledger.prices_changed()
    ledger.usage(price_from + timedelta(seconds=2), markup="25", version=1)
    expected.add((ledger.usage(price_from + timedelta(minutes=1), markup="25", version=1),
                  "price_in_effect"))
    expected.add((ledger.usage(price_from - timedelta(minutes=1), markup="25", version=2),
                  "price_in_effect"))
    expected.add((ledger.usage(price_from + timedelta(minutes=2), markup="25", version=9,
                               provider=Decimal(0), billed=Decimal(0)), "price_version"))
    expected.add((ledger.usage(price_from + timedelta(minutes=3), markup="25",
                               provider=Decimal("0.000001")), "provider_cost"))
    expected.add((ledger.usage(price_from + timedelta(minutes=4), markup="25",
                               billed=Decimal("1.23")), "billed_cost"))
    # Equal amounts written another way are no discrepancy.
    ledger.usage(price_from + timedelta(minutes=5), markup="25", prompt=100, completion=20,
                 provider=Decimal("0.0000320"))
    rng = random.Random(7)
    for n in range(400):
        at = changed + timedelta(seconds=6 + n * 600)
        ledger.usage(at.astimezone(rng.choice((UTC, TOKYO, NEW_YORK))),
                     model=rng.choice(MODELS), markup="25", key=rng.randrange(3),
                     prompt=rng.randrange(5000), completion=rng.randrange(2000),
                     cached=rng.choice((0, 0, rng.randrange(3000))),
                     outcome=rng.choice(("ok",) * 8 + ("rejected", "bad_request")))
    return ledger, ten_from - timedelta(minutes=1), expected


def assert_same(fast: Any, reference: Any) -> None:
    assert fast.as_dict() == reference.as_dict()
    assert repr(fast.lines) == repr(reference.lines)  # the same Decimals, digit for digit
    assert repr(dict(fast.by_day_model)) == repr(dict(reference.by_day_model))
    assert fast.chain.events == reference.chain.events
    assert fast.discrepancies == reference.discrepancies


def test_the_fast_replay_gives_the_plain_replays_statement(gateway):
    ledger, start, expected = mixed_ledger(gateway)
    end = start + timedelta(days=4)
    replay = replay_statement(gateway)

    fast = replay.execute(ledger.client_id, start, end, WS)
    reference = reference_statement(gateway.ledger, replay.history, ledger.client_id, start,
                                     end, WS)

    assert_same(fast, reference)
    assert {(d.request_id, d.what) for d in fast.discrepancies} == expected
    assert fast.chain.count == 411 and len(fast.by_day) >= 3
    assert fast.admitted < fast.total.requests  # refusals were replayed, and not admitted


def test_the_fast_replay_agrees_without_a_workspace_and_past_the_named_events(
        gateway, monkeypatch):
    ledger, start, _ = mixed_ledger(gateway)
    end = start + timedelta(days=4)
    replay = replay_statement(gateway)
    monkeypatch.setattr(hash_chain, "MAX_EVENT_HASHES", 100)

    fast = replay.execute(ledger.client_id, start, end)
    reference = reference_statement(gateway.ledger, replay.history, ledger.client_id, start,
                                    end, None)

    assert_same(fast, reference)
    assert fast.chain.events == {}


def test_the_hash_chain_format_is_the_one_closed_cycles_were_stored_with():
    chain = hash_chain.HashChain()

    chain.add("2026-11-01", "req_a", b'{"a":1}')
    chain.add("2026-11-02", "req_b", b'{"b":2}')
    chain.add("2026-11-01", "req_c", b'{"c":3}')

    assert chain.head == "45d955b1db6265a698d7bcab44c9981633dc63f087a988b74cee0f2f3b6fc2f6"
    assert chain.days == {
        "2026-11-01": "36b72e8caeaf2f1fd7dfa2f10d1047c9810ca8f5e8fd591229f82c7813c671e0",
        "2026-11-02": "7ea3b98703863ba9ee9c017f3e2c3f5501b9cd178d320fb52dfa031fcdfc3d1a"}
    assert chain.events == {"req_a": "015abd7f5cc57a2d", "req_b": "0ab1a6d394cd3019",
                            "req_c": "caba9cb06ac77da7"}
