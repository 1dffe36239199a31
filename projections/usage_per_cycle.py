"""``rm_usage_per_cycle``: what each client has used in each of its billing cycles.

The proxy admits requests against these totals. Only requests that count against limits
(everything but refusals) add to requests, tokens and cost; refusals by a limit are counted
apart, as ``rejected``. Sessions are distinct session ids of counted requests, kept in
``rm_cycle_sessions`` so that a session seen in two batches is counted once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.usage import Outcome, UsageRecorded
from projections.ports import ReadModelCursor
from projections.values import EXACT, ZERO, utc_of

DDL = (
    """CREATE TABLE IF NOT EXISTS rm_usage_per_cycle (
        workspace_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        cycle_start TIMESTAMP_T NOT NULL,
        cycle_end TIMESTAMP_T NOT NULL,
        requests BIGINT NOT NULL,
        prompt_tokens BIGINT NOT NULL,
        completion_tokens BIGINT NOT NULL,
        total_tokens BIGINT NOT NULL,
        provider_cost DECIMAL_T NOT NULL,
        billed_cost DECIMAL_T NOT NULL,
        sessions BIGINT NOT NULL,
        rejected BIGINT NOT NULL,
        PRIMARY KEY (client_id, cycle_start)
    )""",
    """CREATE INDEX IF NOT EXISTS rm_usage_per_cycle_by_workspace
        ON rm_usage_per_cycle (workspace_id, cycle_start)""",
    """CREATE TABLE IF NOT EXISTS rm_cycle_sessions (
        client_id TEXT NOT NULL,
        cycle_start TIMESTAMP_T NOT NULL,
        session_id TEXT NOT NULL,
        PRIMARY KEY (client_id, cycle_start, session_id)
    )""",
)

# cycle_end: the latest event's, should a policy change move the end of a running cycle.
UPSERT = """INSERT INTO rm_usage_per_cycle (workspace_id, client_id, cycle_start, cycle_end,
    requests, prompt_tokens, completion_tokens, total_tokens, provider_cost, billed_cost,
    sessions, rejected)
    VALUES (:workspace_id, :client_id, :cycle_start, :cycle_end, :requests, :prompt_tokens,
            :completion_tokens, :total_tokens, :provider_cost, :billed_cost, :sessions,
            :rejected)
    ON CONFLICT (client_id, cycle_start) DO UPDATE SET
        cycle_end = excluded.cycle_end,
        requests = rm_usage_per_cycle.requests + excluded.requests,
        prompt_tokens = rm_usage_per_cycle.prompt_tokens + excluded.prompt_tokens,
        completion_tokens = rm_usage_per_cycle.completion_tokens + excluded.completion_tokens,
        total_tokens = rm_usage_per_cycle.total_tokens + excluded.total_tokens,
        provider_cost = rm_dec_add(rm_usage_per_cycle.provider_cost, excluded.provider_cost),
        billed_cost = rm_dec_add(rm_usage_per_cycle.billed_cost, excluded.billed_cost),
        sessions = rm_usage_per_cycle.sessions + excluded.sessions,
        rejected = rm_usage_per_cycle.rejected + excluded.rejected"""
SESSIONS_PER_STATEMENT = 300

CycleKey = tuple[UUID, datetime]
REJECTED = Outcome.REJECTED.value


@dataclass
class CycleDelta:
    workspace_id: UUID
    cycle_end: datetime
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    provider_cost: Decimal = field(default=ZERO)
    billed_cost: Decimal = field(default=ZERO)
    rejected: int = 0
    sessions: set[str] = field(default_factory=set)

    def add(self, event: UsageRecorded, counted: bool) -> None:
        self.cycle_end = event.cycle_end or self.cycle_end
        if not counted:
            self.rejected += event.outcome == REJECTED
            return
        self.requests += 1
        self.prompt_tokens += event.prompt_tokens
        self.completion_tokens += event.completion_tokens
        self.total_tokens += event.total_tokens
        self.provider_cost = EXACT.add(self.provider_cost, event.provider_cost)
        self.billed_cost = EXACT.add(self.billed_cost, event.billed_cost)
        if event.session_id:
            self.sessions.add(event.session_id)


def cycle_deltas(events: Sequence[Any]) -> dict[CycleKey, CycleDelta]:
    """Sums per (client, cycle start), in log order; events outside any cycle are skipped."""
    deltas: dict[CycleKey, CycleDelta] = {}
    for event in events:
        if not isinstance(event, UsageRecorded) or event.cycle_start is None:
            continue
        counted = event.counts_against_limits
        if not (counted or event.outcome == REJECTED):
            continue
        key = (event.client_id, event.cycle_start)
        delta = deltas.get(key)
        if delta is None:
            delta = deltas[key] = CycleDelta(event.workspace_id, event.cycle_end
                                             or event.cycle_start)
        delta.add(event, counted)
    return deltas


def count_new_sessions(cursor: ReadModelCursor,
                       sessions: list[tuple[UUID, datetime, str]]) -> Counter[CycleKey]:
    """Stores the sessions; counts, per cycle, those it had not seen in an earlier batch."""
    new: Counter[CycleKey] = Counter()
    for start in range(0, len(sessions), SESSIONS_PER_STATEMENT):
        chunk = sessions[start:start + SESSIONS_PER_STATEMENT]
        params: dict[str, Any] = {}
        for i, (client_id, cycle_start, session_id) in enumerate(chunk):
            params |= {f"c{i}": client_id, f"t{i}": cycle_start, f"s{i}": session_id}
        values = ", ".join(f"(:c{i}, :t{i}, :s{i})" for i in range(len(chunk)))
        for row in cursor.fetch_all(
                "INSERT INTO rm_cycle_sessions (client_id, cycle_start, session_id) "
                f"VALUES {values} ON CONFLICT DO NOTHING RETURNING client_id, cycle_start",
                params):
            new[UUID(row["client_id"]), utc_of(row["cycle_start"])] += 1  # type: ignore[index]
    return new


class UsagePerCycleProjection:
    name = "usage_per_cycle_v1"
    source = "ledger"
    tables: tuple[str, ...] = ("rm_cycle_sessions", "rm_usage_per_cycle")

    def ddl(self) -> Sequence[str]:
        return DDL

    def apply(self, events: Sequence[Any], cursor: ReadModelCursor) -> None:
        deltas = cycle_deltas(events)
        keys = sorted(deltas, key=lambda k: (str(k[0]), k[1]))
        new_sessions = count_new_sessions(cursor, [
            (client_id, cycle_start, session)
            for client_id, cycle_start in keys
            for session in sorted(deltas[client_id, cycle_start].sessions)])
        rows = []
        for client_id, cycle_start in keys:
            delta = vars(deltas[client_id, cycle_start]) | {
                "client_id": client_id, "cycle_start": cycle_start,
                "sessions": new_sessions[client_id, cycle_start.astimezone(UTC)]}
            rows.append(delta)
        cursor.executemany(UPSERT, rows)
