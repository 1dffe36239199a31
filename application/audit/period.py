"""Which stretch of time an audit covers: a cycle named by its label, or a start and end."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from domain.cycles import CycleWindow, cycle_window
from domain.errors import InvalidInput
from domain.limit_policy import LimitPolicy

CUSTOM = "custom"


def audit_window(policy: LimitPolicy, now: datetime, cycle: str | None = None,
                 start: str | None = None, end: str | None = None) -> CycleWindow:
    """``start`` (ISO 8601, up to ``end`` or now) wins over ``cycle``, a label such as
    2026-11 or any date inside the cycle; with neither, the cycle running now."""
    if start:
        first = _instant(start, "from")
        last = _instant(end, "to") if end else now
        if last <= first:
            raise InvalidInput("the end of the period must come after its start", field="to")
        return CycleWindow(first.astimezone(UTC), last.astimezone(UTC), CUSTOM)
    if not cycle:
        return cycle_window(policy, now)
    text = cycle + ("-01" if len(cycle) == 7 else "")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("the cycle must look like 2026-11 or 2026-11-15",
                           field="cycle") from None
    return cycle_window(policy, datetime.combine(day, time(12), tzinfo=policy.zone))


def previous_cycle(policy: LimitPolicy, window: CycleWindow) -> CycleWindow:
    return cycle_window(policy, window.start - timedelta(microseconds=1))


def _instant(text: str, name: str) -> datetime:
    """Without an offset, an instant is read in the server's local time, as the CLI does."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name} must be an ISO 8601 date or time, e.g. "
                           "2026-11-01T00:00:00+00:00", field=name) from None
