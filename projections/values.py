"""Reading values back from either backend, and exact sums.

SQLite hands back money as TEXT and instants as ISO-8601 TEXT; PostgreSQL hands back
Decimal and datetime, and integer SUMs as Decimal. These turn both into one Python shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Context, Decimal

# Costs carry up to ~26 decimal places (a 9-place price per million tokens, times a 9-place
# markup); the default 28 significant digits would round their sums.
EXACT = Context(prec=100)
ZERO = Decimal(0)


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    total = ZERO
    for value in values:
        total = EXACT.add(total, value)
    return total


def decimal_of(value: object) -> Decimal:
    """NULL reads as 0: an absent amount is no amount."""
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value))


def optional_decimal(value: object) -> Decimal | None:
    return None if value is None else decimal_of(value)


def integer_of(value: object) -> int:
    return 0 if value is None else int(value)  # type: ignore[call-overload]


def utc_of(value: object) -> datetime | None:
    if value is None:
        return None
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return instant.astimezone(UTC)


def hour_of(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
