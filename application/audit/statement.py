"""A client's statement for a period: totals per model, key and day, recomputed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.audit.hash_chain import HashChain
from domain.money import EXACT, exact_sum


@dataclass
class Totals:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    provider_cost: Decimal = Decimal(0)
    billed_cost: Decimal = Decimal(0)

    def add(self, prompt: int, completion: int, provider: Decimal, billed: Decimal) -> None:
        self.requests += 1
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        self.provider_cost = EXACT.add(self.provider_cost, provider)
        self.billed_cost = EXACT.add(self.billed_cost, billed)

    def merge(self, other: Totals) -> None:
        self.requests += other.requests
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.provider_cost = EXACT.add(self.provider_cost, other.provider_cost)
        self.billed_cost = EXACT.add(self.billed_cost, other.billed_cost)


@dataclass(frozen=True)
class Discrepancy:
    request_id: str
    what: str
    recorded: str
    recomputed: str


@dataclass
class Statement:
    workspace_id: UUID | None
    client_id: UUID
    start: datetime
    end: datetime
    total: Totals = field(default_factory=Totals)
    by_model: dict[str, Totals] = field(default_factory=lambda: defaultdict(Totals))
    by_key: dict[str, Totals] = field(default_factory=lambda: defaultdict(Totals))
    by_day: dict[str, Totals] = field(default_factory=lambda: defaultdict(Totals))
    by_day_model: dict[tuple[str, str], Totals] = field(
        default_factory=lambda: defaultdict(Totals))
    discrepancies: list[Discrepancy] = field(default_factory=list)
    chain: HashChain = field(default_factory=HashChain)
    admitted: int = 0  # requests that count against limits (not refused ones)
    lines: dict[str, tuple[int, int, Decimal, Decimal]] = field(default_factory=dict)
    # Credit and debit notes for earlier, closed cycles billed in this period
    # (domain.adjustment.CycleAdjusted); they are not part of the totals above.
    adjustments: list[Any] = field(default_factory=list)

    @property
    def billed_with_adjustments(self) -> Decimal:
        return EXACT.add(self.total.billed_cost,
                         exact_sum(a.billed_cost for a in self.adjustments))

    def as_dict(self) -> dict[str, object]:
        def plain(totals: Totals) -> dict[str, object]:
            return {"requests": totals.requests, "prompt_tokens": totals.prompt_tokens,
                    "completion_tokens": totals.completion_tokens,
                    "provider_cost": str(totals.provider_cost),
                    "billed_cost": str(totals.billed_cost)}

        return {
            "workspace_id": str(self.workspace_id) if self.workspace_id else None,
            "client_id": str(self.client_id), "start": self.start.isoformat(),
            "end": self.end.isoformat(), "total": plain(self.total),
            "by_model": {k: plain(v) for k, v in sorted(self.by_model.items())},
            "by_key": {k: plain(v) for k, v in sorted(self.by_key.items())},
            "by_day": {k: plain(v) for k, v in sorted(self.by_day.items())},
            "admitted_requests": self.admitted,
            "digest": self.chain.head, "events": self.chain.count,
            "day_digests": dict(sorted(self.chain.days.items())),
            "discrepancies": [vars(d) for d in self.discrepancies],
            "adjustments": [a.as_dict() for a in self.adjustments],
            "billed_with_adjustments": str(self.billed_with_adjustments),
        }
