"""A replay written the plain way, to hold the fast one to: every event decoded by
eventsourcing's own mapper, every total added line by line, the hash chain spelled out
with hashlib. Slow, and meant to be obviously right."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.audit import hash_chain
from application.audit.price_history import EARLIEST, LATEST, PriceHistory
from application.audit.statement import Discrepancy, Statement
from domain.money import apply_markup

TOLERANCE = timedelta(seconds=5)
GENESIS = hashlib.sha256(b"llm-gateway cycle statement v1").digest()


@dataclass
class ReferenceChain:
    """What a statement reads of its HashChain."""

    head: str
    days: dict[str, str]
    count: int
    events: dict[str, str]


def usage_events(ledger: Any) -> Iterator[tuple[Any, bytes]]:
    """Every UsageRecorded event with the bytes it is stored as, in ledger order."""
    for row in ledger.recorder.select_notifications(start=1, limit=10_000_000):
        if row.topic == "llm_gateway:UsageRecorded":
            yield ledger.mapper.to_domain_event(row), bytes(row.state)


def reference_statement(ledger: Any, history: PriceHistory, client_id: UUID, start: datetime,
                        end: datetime, workspace_id: UUID | None) -> Statement:
    statement = Statement(workspace_id, client_id, start, end)
    head, days, event_hashes, count = GENESIS, {}, {}, 0
    for event, stored in usage_events(ledger):
        if event.client_id != client_id or not start <= event.timestamp < end:
            continue
        if workspace_id is not None and event.workspace_id != workspace_id:
            continue
        provider, billed = _recompute(statement, history, event)
        day = event.timestamp.date().isoformat()
        for totals in (statement.total, statement.by_model[event.model],
                       statement.by_key[str(event.key_id)], statement.by_day[day],
                       statement.by_day_model[(day, event.model)]):
            totals.add(event.prompt_tokens, event.completion_tokens, provider, billed)
        statement.lines[event.request_id] = (event.prompt_tokens, event.completion_tokens,
                                             provider, billed)
        if event.outcome not in ("rejected", "bad_request"):
            statement.admitted += 1
        event_hash = hashlib.sha256(stored).digest()
        head = hashlib.sha256(head + event_hash).digest()
        days[day] = hashlib.sha256(days.get(day, GENESIS) + event_hash).digest()
        event_hashes[event.request_id] = event_hash[:8].hex()
        count += 1
    statement.chain = ReferenceChain(  # type: ignore[assignment]
        head.hex(), {d: link.hex() for d, link in days.items()}, count,
        event_hashes if count <= hash_chain.MAX_EVENT_HASHES else {})
    return statement


def _recompute(statement: Statement, history: PriceHistory,
               event: Any) -> tuple[Decimal, Decimal]:
    def differs(what: str, recorded: object, recomputed: str) -> None:
        statement.discrepancies.append(Discrepancy(event.request_id, what, str(recorded),
                                                   recomputed))

    provider = Decimal(0)
    if event.price_version is not None:
        price = history.version(event.workspace_id, event.model, event.price_version)
        if price is None:
            differs("price_version", event.price_version, "no such price")
        else:
            provider = price.cost(event.prompt_tokens, event.completion_tokens,
                                  event.cached_tokens)
            allowed = _versions_in_effect(history, event.workspace_id, event.model,
                                          event.timestamp - TOLERANCE, event.timestamp)
            if price.version not in allowed:
                differs("price_in_effect", price.version,
                        ",".join(str(v) for v in sorted(allowed)) or "none")
    billed = apply_markup(provider, event.markup_percent)
    if provider != event.provider_cost:
        differs("provider_cost", event.provider_cost, str(provider))
    if billed != event.billed_cost:
        differs("billed_cost", event.billed_cost, str(billed))
    latest = history.markup(event.client_id, event.timestamp)
    if event.markup_percent not in _markups_in_effect(history, event.client_id,
                                                      event.timestamp - TOLERANCE,
                                                      event.timestamp):
        differs("markup_percent", event.markup_percent, str(latest))
    return provider, billed


def _versions_in_effect(history: PriceHistory, workspace_id: UUID, model: str,
                        start: datetime, end: datetime) -> set[int]:
    """Every version whose time in effect, from its start to the next one's, meets
    [start, end]; written plainly, without the bisections of the fast path."""
    prices = sorted(history.prices.get((workspace_id, model), ()),
                    key=lambda p: (p.effective_from, p.version))
    return {price.version for price, following in zip(prices, [*prices[1:], None],
                                                      strict=True)
            if price.effective_from <= end
            and (following is None or following.effective_from > start)}


def _markups_in_effect(history: PriceHistory, client_id: UUID, start: datetime,
                       end: datetime) -> set[Decimal]:
    changes = [(EARLIEST, Decimal(0)), *history.markup_changes(client_id)]
    return {markup for (since, markup), (until, _) in zip(
        changes, [*changes[1:], (LATEST, Decimal(0))], strict=True)
        if since <= end and until > start}
