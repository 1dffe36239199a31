"""Limit counters held in the process: for SQLite, where one process serves.

The event loop runs one coroutine at a time and ``admit`` does not await between its
check and its count, so two requests can never both take the last unit of a limit.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from application.proxy.limit_ports import Admission, CycleSeed, zero_seed
from domain.cycles import CycleWindow
from domain.limit_policy import LimitPolicy
from domain.limits import CycleUsage, first_exceeded


@dataclass
class _Cycle:
    usage: CycleUsage
    sessions: set[str] = field(default_factory=set)


class InMemoryLimitCounters:
    def __init__(self, seed: CycleSeed = zero_seed):
        self._seed = seed
        self._cycles: dict[tuple[UUID, datetime], _Cycle] = {}
        self._executions: dict[tuple[UUID, str], tuple[datetime, int]] = {}

    async def admit(self, workspace_id: UUID, client_id: UUID, window: CycleWindow,
                    policy: LimitPolicy, session_id: str | None) -> Admission:
        key = (client_id, window.start)
        if key not in self._cycles:
            seeded = await asyncio.to_thread(self._seed, workspace_id, client_id, window.start)
            # Another request may have seeded it while this one waited.
            self._cycles.setdefault(key, _Cycle(seeded.usage, set(seeded.sessions)))
        cycle = self._cycles[key]
        new_session = session_id is not None and session_id not in cycle.sessions
        exceeded = first_exceeded(policy, cycle.usage, new_session)
        if exceeded is not None:
            return Admission(False, cycle.usage, exceeded)
        if new_session:
            assert session_id is not None
            cycle.sessions.add(session_id)
        cycle.usage = replace(cycle.usage, requests=cycle.usage.requests + 1,
                              sessions=len(cycle.sessions) if new_session
                              else cycle.usage.sessions)
        return Admission(True, cycle.usage)

    def add_usage(self, client_id: UUID, cycle_start: datetime, tokens: int,
                  credits: Decimal) -> None:
        cycle = self._cycles.get((client_id, cycle_start))
        if cycle is not None:
            cycle.usage = replace(cycle.usage, tokens=cycle.usage.tokens + tokens,
                                  credits=cycle.usage.credits + credits)

    async def admit_execution(self, client_id: UUID, execution_id: str, now: datetime,
                              window_seconds: int, max_calls: int) -> bool:
        key = (client_id, execution_id)
        started, calls = self._executions.get(key, (now, 0))
        if now - started >= timedelta(seconds=window_seconds):
            started, calls = now, 0
        if calls >= max_calls:
            return False
        self._executions[key] = (started, calls + 1)
        return True
