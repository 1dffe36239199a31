"""Billing-cycle arithmetic.

Boundaries are local midnights in the policy's time zone, converted to UTC. Daylight-saving
changes can make a local midnight happen twice or not at all, so the window containing an
instant is found in UTC, stepping from a first guess until ``start <= instant < end``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from domain.limit_policy import CycleKind, LimitPolicy


@dataclass(frozen=True)
class CycleWindow:
    start: datetime
    end: datetime
    label: str

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end

    def seconds_until_end(self, instant: datetime) -> int:
        return max(1, int((self.end - instant).total_seconds() + 0.999))


def _monthly_start(year: int, month: int, anchor: int) -> date:
    return date(year, month, min(anchor, calendar.monthrange(year, month)[1]))


def _start_on_or_before(policy: LimitPolicy, day: date) -> date:
    if policy.cycle is CycleKind.DAILY:
        return day
    if policy.cycle is CycleKind.WEEKLY:
        return day - timedelta(days=(day.isoweekday() - policy.anchor_day) % 7)
    start = _monthly_start(day.year, day.month, policy.anchor_day)
    if start <= day:
        return start
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    return _monthly_start(year, month, policy.anchor_day)


def _next_start(policy: LimitPolicy, start: date) -> date:
    if policy.cycle is CycleKind.DAILY:
        return start + timedelta(days=1)
    if policy.cycle is CycleKind.WEEKLY:
        return start + timedelta(days=7)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return _monthly_start(year, month, policy.anchor_day)


def _previous_start(policy: LimitPolicy, start: date) -> date:
    return _start_on_or_before(policy, start - timedelta(days=1))


def _utc_midnight(policy: LimitPolicy, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=policy.zone).astimezone(UTC)


def _label(policy: LimitPolicy, start: date) -> str:
    if policy.cycle is CycleKind.MONTHLY and policy.anchor_day == 1:
        return start.strftime("%Y-%m")
    return start.isoformat()


def cycle_window(policy: LimitPolicy, instant: datetime) -> CycleWindow:
    """The cycle of ``policy`` that contains ``instant`` (an aware datetime)."""
    start = _start_on_or_before(policy, instant.astimezone(policy.zone).date())
    while instant < _utc_midnight(policy, start):
        start = _previous_start(policy, start)
    while instant >= _utc_midnight(policy, _next_start(policy, start)):
        start = _next_start(policy, start)
    end = _next_start(policy, start)
    return CycleWindow(
        start=_utc_midnight(policy, start),
        end=_utc_midnight(policy, end),
        label=_label(policy, start),
    )
