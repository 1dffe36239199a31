"""``rm_request_log``: one row per request, for the recent-requests views.

It is the one read model that grows with traffic, so it is kept for a retention period
only (``projections.request_log_retention``); the ledger keeps everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.usage import UsageRecorded
from projections.ports import ReadModelCursor

DDL = (
    """CREATE TABLE IF NOT EXISTS rm_request_log (
        request_id TEXT PRIMARY KEY,
        at TIMESTAMP_T NOT NULL,
        workspace_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        model TEXT NOT NULL,
        stream BOOLEAN NOT NULL,
        status INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        error_type TEXT,
        prompt_tokens BIGINT NOT NULL,
        completion_tokens BIGINT NOT NULL,
        cached_tokens BIGINT NOT NULL,
        provider_cost DECIMAL_T NOT NULL,
        billed_cost DECIMAL_T NOT NULL,
        latency_ms DECIMAL_T NOT NULL,
        ttft_ms DECIMAL_T,
        session_id TEXT,
        usage_source TEXT NOT NULL,
        limit_name TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS rm_request_log_by_time ON rm_request_log (workspace_id, at)",
    """CREATE INDEX IF NOT EXISTS rm_request_log_by_client
        ON rm_request_log (workspace_id, client_id, at)""",
    "CREATE INDEX IF NOT EXISTS rm_request_log_for_purge ON rm_request_log (at)",
)

COPIED = ("request_id", "workspace_id", "client_id", "key_id", "endpoint", "model", "stream",
          "status", "outcome", "error_type", "prompt_tokens", "completion_tokens",
          "cached_tokens", "provider_cost", "billed_cost", "latency_ms", "ttft_ms",
          "session_id", "usage_source", "limit_name")
INSERT = (
    f"INSERT INTO rm_request_log (at, {', '.join(COPIED)}) "
    f"VALUES (:at, {', '.join(':' + c for c in COPIED)}) "
    "ON CONFLICT (request_id) DO NOTHING"
)


class RequestLogProjection:
    name = "request_log_v1"
    source = "ledger"
    tables: tuple[str, ...] = ("rm_request_log",)

    def ddl(self) -> Sequence[str]:
        return DDL

    def apply(self, events: Sequence[Any], cursor: ReadModelCursor) -> None:
        cursor.executemany(INSERT, [
            {"at": e.timestamp} | {c: getattr(e, c) for c in COPIED}
            for e in events if isinstance(e, UsageRecorded)])
