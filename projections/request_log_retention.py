"""Retention of ``rm_request_log``: the scheduled job deletes rows older than the period.

Deleting in chunks keeps each transaction short, so the projection writing new rows into
the same table never waits long behind a large purge. A rebuild replays the ledger and so
brings purged rows back until the next purge.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from projections.ports import ReadModelDatabase

DEFAULT_RETENTION = timedelta(days=30)
CHUNK = 5_000

DELETE_CHUNK = """DELETE FROM rm_request_log WHERE request_id IN (
    SELECT request_id FROM rm_request_log WHERE at < :older_than LIMIT :chunk)"""


def retention_cutoff(now: datetime, retention: timedelta = DEFAULT_RETENTION) -> datetime:
    return now - retention


def purge_request_log(database: ReadModelDatabase, older_than: datetime,
                      chunk: int = CHUNK) -> int:
    """Deletes every request logged before ``older_than``; returns how many."""
    deleted = 0
    while True:
        with database.transaction() as cursor:
            removed = cursor.execute(DELETE_CHUNK, {"older_than": older_than, "chunk": chunk})
        deleted += removed
        if removed < chunk:
            return deleted
