"""Where each projection has got to in its source's notification log: ``rm_tracking``.

The position moves in the same transaction as the rows it accounts for, and only from the
position the writer read: a second writer that raced it changes nothing (exactly once, even
if two processes ever ran one projection).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from projections.ports import ReadModelCursor, ReadModelDatabase
from projections.values import integer_of, utc_of

TRACKING_DDL = (
    """CREATE TABLE IF NOT EXISTS rm_tracking (
        projection TEXT PRIMARY KEY,
        position BIGINT NOT NULL,
        applied_at TIMESTAMP_T
    )""",
)


class StalePosition(Exception):
    """Another writer moved the projection since its position was read: retry from there."""


@dataclass(frozen=True)
class Tracked:
    position: int
    applied_at: datetime | None


def register(cursor: ReadModelCursor, name: str) -> None:
    cursor.execute("INSERT INTO rm_tracking (projection, position) VALUES (:name, 0) "
                   "ON CONFLICT (projection) DO NOTHING", {"name": name})


def positions(database: ReadModelDatabase) -> dict[str, Tracked]:
    rows = database.fetch_all("SELECT projection, position, applied_at FROM rm_tracking")
    return {r["projection"]: Tracked(integer_of(r["position"]), utc_of(r["applied_at"]))
            for r in rows}


def advance(cursor: ReadModelCursor, name: str, start: int, end: int, now: datetime) -> None:
    changed = cursor.execute(
        "UPDATE rm_tracking SET position = :end, applied_at = :now "
        "WHERE projection = :name AND position = :start",
        {"name": name, "start": start, "end": end, "now": now})
    if changed != 1:
        raise StalePosition(f"{name} is no longer at position {start}")


def reset(cursor: ReadModelCursor, name: str) -> None:
    cursor.execute("DELETE FROM rm_tracking WHERE projection = :name", {"name": name})
    register(cursor, name)
