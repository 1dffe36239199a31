"""A client's limit policy: which cycle, and what may be spent in it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import InvalidInput
from domain.money import to_usd


class CycleKind(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class LimitPolicy:
    """Each maximum is optional: ``None`` means no limit of that kind.

    ``anchor_day`` is the ISO weekday (1 = Monday) for weekly cycles and the day of the
    month (1–31, clamped to the month's length) for monthly ones; daily cycles ignore it.
    """

    cycle: CycleKind = CycleKind.MONTHLY
    anchor_day: int = 1
    timezone: str = "UTC"
    max_requests: int | None = None
    max_tokens: int | None = None
    max_credits: Decimal | None = None
    max_sessions: int | None = None
    enforce: bool = True
    max_calls_per_execution: int | None = None
    execution_window_seconds: int = 3600

    def __post_init__(self) -> None:
        if self.cycle is CycleKind.WEEKLY and not 1 <= self.anchor_day <= 7:
            raise InvalidInput("anchor_day must be 1 (Monday) to 7 for weekly cycles",
                               field="anchor_day")
        if self.cycle is CycleKind.MONTHLY and not 1 <= self.anchor_day <= 31:
            raise InvalidInput("anchor_day must be 1 to 31 for monthly cycles", field="anchor_day")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"unknown IANA time zone {self.timezone!r}",
                               field="timezone") from None
        for name in ("max_requests", "max_tokens", "max_sessions", "max_calls_per_execution"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or value < 0):
                raise InvalidInput(f"{name} must be a whole number of at least 0", field=name)
        if self.execution_window_seconds <= 0:
            raise InvalidInput("execution_window_seconds must be positive",
                               field="execution_window_seconds")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def to_primitive(self) -> dict[str, Any]:
        """The shape stored in events: plain JSON types only."""
        data = asdict(self)
        data["cycle"] = self.cycle.value
        data["max_credits"] = None if self.max_credits is None else str(self.max_credits)
        return data

    @classmethod
    def from_primitive(cls, data: dict[str, Any]) -> LimitPolicy:
        values = dict(data)
        try:
            values["cycle"] = CycleKind(values.get("cycle", "monthly"))
        except ValueError:
            raise InvalidInput("cycle must be daily, weekly or monthly", field="cycle") from None
        if values.get("max_credits") is not None:
            values["max_credits"] = to_usd(values["max_credits"], field="max_credits")
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in values.items() if k in known})
