"""Model prices and the exact cost of one request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.money import EXACT, ONE_MILLION


@dataclass(frozen=True)
class Price:
    """Dollars per 1M tokens, effective from a moment; ``version`` counts changes from 1."""

    version: int
    input_per_million: Decimal
    output_per_million: Decimal
    cached_input_per_million: Decimal | None
    effective_from: datetime

    def cost(self, prompt_tokens: int, completion_tokens: int, cached_tokens: int = 0) -> Decimal:
        """Cached prompt tokens are billed at the cached price when the model has one."""
        cached = min(max(cached_tokens, 0), prompt_tokens)
        if self.cached_input_per_million is None:
            cached = 0
        uncached = prompt_tokens - cached
        total = EXACT.add(EXACT.add(
            EXACT.multiply(uncached, self.input_per_million),
            EXACT.multiply(cached, self.cached_input_per_million or 0)),
            EXACT.multiply(completion_tokens, self.output_per_million))
        return EXACT.divide(total, ONE_MILLION)


@dataclass(frozen=True)
class PriceCorrection:
    """What a price version should have been: the same version and start, other rates.
    ``ref`` names the correction in adjustments, e.g. "gpt-4o v2 #1"."""

    ref: str
    price: Price
    reason: str


def price_at(history: tuple[Price, ...], moment: datetime) -> Price | None:
    """The price in effect at ``moment``: the latest one whose start is not after it."""
    effective = [p for p in history if p.effective_from <= moment]
    if not effective:
        return None
    return max(effective, key=lambda p: (p.effective_from, p.version))
