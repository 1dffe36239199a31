"""The time ranges staff pick: the last 24 hours to 90 days, or whole UTC days of their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from domain.errors import InvalidInput

PRESETS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30),
           "90d": timedelta(days=90)}
PRESET_LABELS = {"24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days",
                 "90d": "Last 90 days", "custom": "Custom range"}
MAX_CUSTOM_DAYS = 400
HOURLY_UP_TO = timedelta(days=7)


@dataclass(frozen=True)
class Window:
    """``[start, end)`` in UTC, drawn in hourly steps up to a week and daily beyond."""

    start: datetime
    end: datetime
    label: str

    @property
    def step(self) -> timedelta:
        return timedelta(hours=1) if self.end - self.start <= HOURLY_UP_TO else timedelta(days=1)

    @property
    def step_name(self) -> str:
        return "hour" if self.step == timedelta(hours=1) else "day"


def preset_in(query: dict[str, str], default: str) -> str:
    """The preset a link names with ``?range=`` (``/analytics?range=30d``), else ``default``."""
    wanted = query.get("range", default)
    return wanted if wanted in PRESETS else default


def _hour(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def window_for(choice: str, now: datetime, first_day: str | None = None,
               last_day: str | None = None) -> Window:
    """A preset ends with the current hour, which is still filling up."""
    if choice in PRESETS:
        end = _hour(now) + timedelta(hours=1)
        return Window(end - PRESETS[choice], end, PRESET_LABELS[choice])
    if choice != "custom":
        raise InvalidInput(f"unknown range {choice!r}", field="range")
    try:
        first = date.fromisoformat(str(first_day)[:10])
        last = date.fromisoformat(str(last_day)[:10])
    except ValueError:
        raise InvalidInput("pick a first and a last day", field="range") from None
    if last < first or (last - first).days > MAX_CUSTOM_DAYS:
        raise InvalidInput(f"the last day must follow the first, at most {MAX_CUSTOM_DAYS} "
                           "days later", field="range")
    start = datetime.combine(first, time(0), tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC)
    return Window(start, end, f"{first.isoformat()} to {last.isoformat()} (UTC)")


def steps(window: Window) -> list[datetime]:
    """Every step of the window, so that quiet hours show as zero instead of vanishing."""
    step = window.step
    first = window.start if step == timedelta(hours=1) else \
        window.start.replace(hour=0)
    out, at = [], first
    while at < window.end:
        out.append(at)
        at += step
    return out


def step_of(instant: datetime, window: Window) -> datetime:
    return instant if window.step == timedelta(hours=1) else instant.replace(hour=0)
