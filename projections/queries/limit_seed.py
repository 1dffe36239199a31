"""Where limit counters start when a process first meets a client's cycle."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.proxy.limit_ports import SeededCycle
from domain.limits import CycleUsage
from projections.ports import ReadModelDatabase
from projections.queries.cycle_usage import usage_for_cycle


def seeded_cycle(database: ReadModelDatabase, workspace_id: UUID, client_id: UUID,
                 cycle_start: datetime) -> SeededCycle:
    counted = usage_for_cycle(database, workspace_id, client_id, cycle_start)
    rows = database.fetch_all(
        "SELECT session_id FROM rm_cycle_sessions WHERE client_id = :client_id "
        "AND cycle_start = :cycle_start", {"client_id": client_id, "cycle_start": cycle_start})
    return SeededCycle(
        CycleUsage(requests=counted.requests, tokens=counted.total_tokens,
                   credits=counted.billed_cost, sessions=counted.sessions),
        frozenset(row["session_id"] for row in rows))
