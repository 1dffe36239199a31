"""Which rollup rows a range reads: whole UTC days from the daily table, the rest by hour.

A range ``[start, end)`` counts the hours that begin inside it. Its whole days are read
from ``rm_usage_rollup_daily``; only the hours before its first midnight and after its
last one come from ``rm_usage_rollup_hourly``. Both tables hold the same requests, so the
sum is the same as over hours alone, from a few rows per client and model per day. A
screen that draws hour by hour asks for hours throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from projections.ports import ReadModelDatabase, Row
from projections.usage_rollup_tables import DAILY, HOURLY
from projections.values import hour_of

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@dataclass(frozen=True)
class Period:
    table: str
    start: datetime  # inclusive, on an hour (a midnight for the daily table)
    end: datetime  # exclusive

    @property
    def daily(self) -> bool:
        return self.table == DAILY


def _hour_at_or_after(instant: datetime) -> datetime:
    hour = hour_of(instant)
    return hour if hour == instant.astimezone(UTC) else hour + HOUR


def _midnight_at_or_after(hour: datetime) -> datetime:
    midnight = hour.replace(hour=0)
    return midnight if midnight == hour else midnight + DAY


def periods(start: datetime, end: datetime, by_hour: bool = False) -> list[Period]:
    first, stop = _hour_at_or_after(start), _hour_at_or_after(end)
    if first >= stop:
        return []
    days_from, days_to = _midnight_at_or_after(first), stop.replace(hour=0)
    if by_hour or days_from >= days_to:
        return [Period(HOURLY, first, stop)]
    found = [Period(HOURLY, first, days_from)] if first < days_from else []
    found.append(Period(DAILY, days_from, days_to))
    if days_to < stop:
        found.append(Period(HOURLY, days_to, stop))
    return found


def rollup_rows(db: ReadModelDatabase, period: Period, columns: str, workspace_id: UUID,
                client_id: UUID | None = None, table: str | None = None,
                group_by: str | None = None) -> list[Row]:
    """``SELECT columns`` from the period's table (or ``table``, of the same grain), within
    the workspace, and the client if one is given."""
    return db.fetch_all(
        f"SELECT {columns} FROM {table or period.table} WHERE workspace_id = :workspace_id "
        "AND period >= :start AND period < :end"
        + (" AND client_id = :client_id" if client_id else "")
        + (f" GROUP BY {group_by}" if group_by else ""),
        {"workspace_id": workspace_id, "start": period.start, "end": period.end,
         "client_id": client_id})
