"""How numbers, money and instants read on screen. Times are shown in UTC, and say so."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal


def usd(amount: Decimal) -> str:
    """Cents for ordinary amounts; small amounts keep enough places to be seen."""
    if amount == 0:
        return "$0.00"
    if abs(amount) < Decimal("0.01"):
        return f"${amount.quantize(Decimal('0.000001'), rounding=ROUND_HALF_UP):f}"
    return f"${amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def count(value: int) -> str:
    return f"{value:,}"


def percent(part: int, whole: int) -> str:
    return "–" if whole == 0 else f"{100 * part / whole:.1f}%"


def milliseconds(value: float | Decimal | None) -> str:
    return "–" if value is None else f"{float(value):,.0f} ms"


def utc(instant: datetime | None, seconds: bool = False) -> str:
    if instant is None:
        return "–"
    return instant.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M") + " UTC"


def date_only(instant: datetime | None) -> str:
    return "never" if instant is None else instant.strftime("%Y-%m-%d")
