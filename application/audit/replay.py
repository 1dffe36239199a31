"""Replaying the ledger into a statement, recomputing every cost from the history.

A request's provider cost is recomputed from the token counts and the price version it
recorded, its billed cost from the markup it recorded; both must equal what the event
says, and that price and markup must be the ones in effect when the request was made.

Replays read millions of events, so the loop works on plain records (``UsageRecord``),
converts each distinct id and markup once, keeps the prices and markup in effect for as
long as they hold, and adds totals up per group (``tally``). tests/audit/
test_replay_equivalence.py holds it to a line-by-line computation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from application.audit.in_effect import ClientMarkups, ModelPrices
from application.audit.ports import LedgerLines, UsageRecord
from application.audit.price_history import PriceHistory
from application.audit.statement import Discrepancy, Statement
from application.audit.tally import Line, fill_totals
from domain.money import EXACT, apply_markup
from domain.usage import Outcome

REFUSED = (Outcome.REJECTED.value, Outcome.BAD_REQUEST.value)
# Processes learn of a price or markup change through the log within ~200 ms.
PROPAGATION_TOLERANCE = timedelta(seconds=5)
PROGRESS_EVERY = 10_000
ZERO, ONE = Decimal(0), Decimal(1)


@dataclass
class ReplayStatement:
    ledger: LedgerLines
    history: PriceHistory

    def execute(self, client_id: UUID, start: datetime, end: datetime,
                workspace_id: UUID | None = None,
                progress: Callable[[int], None] | None = None) -> Statement:
        statement = Statement(workspace_id, client_id, start, end)
        _Replay(self.history, statement).run(self.ledger.records(client_id), progress)
        return statement


class _Replay:
    def __init__(self, history: PriceHistory, statement: Statement):
        self.history, self.statement = history, statement
        self.groups: dict[tuple[str, str, str], list[Line]] = {}
        self.models: dict[tuple[str, str], ModelPrices] = {}
        self.markups = ClientMarkups(history, statement.client_id, PROPAGATION_TOLERANCE)
        self._uuids: dict[str, UUID] = {}
        self._markups: dict[str, tuple[Decimal, Decimal]] = {}

    def run(self, records: Iterable[UsageRecord],
            progress: Callable[[int], None] | None) -> None:
        s = self.statement
        client_id, start, end, workspace_id = s.client_id, s.start, s.end, s.workspace_id
        client_hex, workspace_hex = client_id.hex, workspace_id.hex if workspace_id else ""
        lines, groups, models, markups = s.lines, self.groups, self.models, self.markups
        chain_add, differs, uuid, markup_of = (s.chain.add_hashed, self.differs, self.uuid,
                                               self.markup)
        multiply = EXACT.multiply
        fromisoformat = datetime.fromisoformat
        seen = admitted = 0
        last_date, last_day = None, ""
        for record in records:
            seen += 1
            if progress is not None and not seen % PROGRESS_EVERY:
                progress(seen)
            (_, event_hash, request_id, moment, workspace, client, key, model, outcome, prompt,
             completion, cached, recorded_provider, recorded_billed, version,
             markup_text) = record
            # Ids are compared as stored text first; other spellings of the same id match.
            if client != client_hex and uuid(client) != client_id:
                continue
            at = fromisoformat(moment)
            if not start <= at < end:
                continue
            if (workspace_id is not None and workspace != workspace_hex
                    and uuid(workspace) != workspace_id):
                continue
            provider = ZERO
            if version is not None:
                prices = models.get((workspace, model)) or self.prices_of(workspace, model)
                price = prices.version(version)
                if price is None:
                    differs(request_id, "price_version", str(version), "no such price")
                else:
                    provider = price.cost(prompt, completion, cached)
                    if not prices.start <= at < prices.until:
                        prices.move_to(at)
                    if price.version not in prices.allowed:
                        differs(request_id, "price_in_effect", str(price.version),
                                prices.allowed_text())
            markup, factor = markup_of(markup_text)
            billed = multiply(provider, factor)
            if provider != Decimal(recorded_provider):
                differs(request_id, "provider_cost", str(Decimal(recorded_provider)),
                        str(provider))
            if billed != Decimal(recorded_billed):
                differs(request_id, "billed_cost", str(Decimal(recorded_billed)), str(billed))
            if not markups.start <= at < markups.until:
                markups.move_to(at)
            if markup not in markups.allowed:
                differs(request_id, "markup_percent", str(markup), str(markups.latest))
            date = at.date()
            if date != last_date:  # events come in days, and the name is asked per event
                last_date, last_day = date, date.isoformat()
            day = last_day
            line = lines[request_id] = (prompt, completion, provider, billed)
            group = groups.get((day, model, key))
            if group is None:
                group = groups[(day, model, key)] = []
            group.append(line)
            chain_add(day, request_id, event_hash)
            if outcome not in REFUSED:
                admitted += 1
        if progress is not None:
            progress(seen)
        s.admitted += admitted
        fill_totals(s, groups, lambda key: str(uuid(key)))

    def prices_of(self, workspace: str, model: str) -> ModelPrices:
        found = self.models[(workspace, model)] = ModelPrices(
            self.history, self.uuid(workspace), model, PROPAGATION_TOLERANCE)
        return found

    def uuid(self, text: str) -> UUID:
        found = self._uuids.get(text)
        if found is None:
            found = self._uuids[text] = UUID(text)
        return found

    def markup(self, text: str) -> tuple[Decimal, Decimal]:
        """A markup and what it multiplies costs by; a ledger holds few distinct ones.
        ``apply_markup(cost, m)`` is ``cost × apply_markup(1, m)``, digit for digit (exact
        products): one multiplication per event instead of three operations."""
        found = self._markups.get(text)
        if found is None:
            markup = Decimal(text)
            found = self._markups[text] = (markup, apply_markup(ONE, markup))
        return found

    def differs(self, request_id: str, what: str, recorded: str, recomputed: str) -> None:
        self.statement.discrepancies.append(Discrepancy(request_id, what, recorded,
                                                        recomputed))
