"""Replaying the ledger into a statement, recomputing every cost from the history.

A request's provider cost is recomputed from the token counts and the price version it
recorded, its billed cost from the markup it recorded; both must equal what the event
says, and that price and markup must be the ones in effect when the request was made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from application.audit.ports import LedgerLines, UsageLine
from application.audit.price_history import PriceHistory
from application.audit.statement import Discrepancy, Statement
from domain.money import apply_markup
from domain.usage import Outcome

REFUSED = (Outcome.REJECTED.value, Outcome.BAD_REQUEST.value)
# Processes learn of a price or markup change through the log within ~200 ms.
PROPAGATION_TOLERANCE = timedelta(seconds=5)


@dataclass
class ReplayStatement:
    ledger: LedgerLines
    history: PriceHistory

    def execute(self, client_id: UUID, start: datetime, end: datetime,
                workspace_id: UUID | None = None,
                progress: Callable[[int], None] | None = None) -> Statement:
        statement = Statement(workspace_id, client_id, start, end)
        seen = 0
        for line in self.ledger.lines(client_id):
            seen += 1
            if progress is not None and seen % 10_000 == 0:
                progress(seen)
            if line.client_id != client_id or not start <= line.at < end:
                continue
            if workspace_id is not None and line.workspace_id != workspace_id:
                continue
            self._add(statement, line)
        if progress is not None:
            progress(seen)
        return statement

    def _add(self, statement: Statement, line: UsageLine) -> None:
        provider, billed = self._recompute(statement, line)
        day = line.at.date().isoformat()
        for totals in (statement.total, statement.by_model[line.model],
                       statement.by_key[str(line.key_id)], statement.by_day[day],
                       statement.by_day_model[(day, line.model)]):
            totals.add(line.prompt_tokens, line.completion_tokens, provider, billed)
        statement.chain.add(day, line.request_id, line.stored)
        statement.lines[line.request_id] = (line.prompt_tokens, line.completion_tokens,
                                            provider, billed)
        if line.outcome not in REFUSED:
            statement.admitted += 1

    def _recompute(self, statement: Statement, line: UsageLine) -> tuple[Decimal, Decimal]:
        provider = Decimal(0)
        if line.price_version is not None:
            price = self.history.version(line.workspace_id, line.model, line.price_version)
            if price is None:
                self._differs(statement, line, "price_version", str(line.price_version),
                              "no such price")
            else:
                provider = price.cost(line.prompt_tokens, line.completion_tokens,
                                      line.cached_tokens)
                self._check_in_effect(statement, line, price.version)
        billed = apply_markup(provider, line.markup_percent)
        if provider != line.provider_cost:
            self._differs(statement, line, "provider_cost", str(line.provider_cost),
                          str(provider))
        if billed != line.billed_cost:
            self._differs(statement, line, "billed_cost", str(line.billed_cost), str(billed))
        markup = self.history.markup(line.client_id, line.at - PROPAGATION_TOLERANCE)
        latest = self.history.markup(line.client_id, line.at)
        if line.markup_percent not in (markup, latest):
            self._differs(statement, line, "markup_percent", str(line.markup_percent),
                          str(latest))
        return provider, billed

    def _check_in_effect(self, statement: Statement, line: UsageLine, version: int) -> None:
        allowed = {p.version for p in (
            self.history.price(line.workspace_id, line.model, line.at),
            self.history.price(line.workspace_id, line.model, line.at - PROPAGATION_TOLERANCE),
        ) if p is not None}
        if version not in allowed:
            self._differs(statement, line, "price_in_effect", str(version),
                          ",".join(str(v) for v in sorted(allowed)) or "none")

    @staticmethod
    def _differs(statement: Statement, line: UsageLine, what: str, recorded: str,
                 recomputed: str) -> None:
        statement.discrepancies.append(Discrepancy(line.request_id, what, recorded, recomputed))
