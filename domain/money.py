"""Exact money. Amounts are Decimal US dollars; prices are dollars per 1M tokens."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Context, Decimal, InvalidOperation

from domain.errors import InvalidInput

ONE_MILLION = Decimal(1_000_000)
# A 9-place price per million tokens times a 9-place markup gives ~26 decimal places; the
# default 28 significant digits would round sums of such amounts. 100 digits never do.
EXACT = Context(prec=100)
MICRO = Decimal("0.000001")
MAX_DECIMAL_PLACES = 9


def to_usd(value: object, *, field: str) -> Decimal:
    """Parses a non-negative dollar amount without ever passing through a float."""
    if isinstance(value, float):
        value = repr(value)  # the shortest repr round-trips, so 0.1 stays 0.1
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{field} must be a decimal number of US dollars", field=field) from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(f"{field} must be a finite amount of at least 0", field=field)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMAL_PLACES:
        raise InvalidInput(
            f"{field} has more than {MAX_DECIMAL_PLACES} decimal places", field=field
        )
    return amount


def exact_sum(amounts: Iterable[Decimal]) -> Decimal:
    """``sum()`` adds in the thread's context, 28 digits; this never rounds."""
    total = Decimal(0)
    for amount in amounts:
        total = EXACT.add(total, amount)
    return total


def to_micro_dollars(amount: Decimal) -> int:
    """Whole micro-dollars, rounding half up: the unit statements are reconciled in."""
    return int((amount / MICRO).to_integral_value(rounding="ROUND_HALF_UP"))


def apply_markup(provider_cost: Decimal, markup_percent: Decimal) -> Decimal:
    """Billed price = provider cost × (1 + markup %), kept exact."""
    return EXACT.multiply(provider_cost, EXACT.add(1, EXACT.divide(markup_percent, 100)))
