"""The shared counters that client limits are checked against."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from domain.cycles import CycleWindow
from domain.limit_policy import LimitPolicy
from domain.limits import CycleUsage


@dataclass(frozen=True, slots=True)
class Admission:
    admitted: bool
    usage: CycleUsage  # after counting this request, or what blocked it
    exceeded: tuple[str, dict[str, str]] | None = None


@dataclass(frozen=True, slots=True)
class SeededCycle:
    """A cycle's usage as the read model knows it, to start counting from."""

    usage: CycleUsage
    sessions: frozenset[str]


class CycleSeed(Protocol):
    """Reads a client's cycle from the read model (a blocking call, made once per cycle)."""

    def __call__(self, workspace_id: UUID, client_id: UUID, cycle_start: datetime
                 ) -> SeededCycle: ...


class LimitCounters(Protocol):
    """Per client and cycle: admitted requests, tokens, billed credits, distinct sessions.

    ``admit`` checks the limits and counts the request (and its session, if new) in one
    atomic step, also across gateway processes: two processes can never both take the
    last request of a limit. ``add_usage`` adds a finished request's tokens and credits;
    it may land a few milliseconds later. ``admit_execution`` counts calls of one n8n
    execution in a window of ``window_seconds`` and says whether one more is allowed.
    """

    async def admit(self, workspace_id: UUID, client_id: UUID, window: CycleWindow,
                    policy: LimitPolicy, session_id: str | None) -> Admission: ...

    def add_usage(self, client_id: UUID, cycle_start: datetime, tokens: int,
                  credits: Decimal) -> None: ...

    async def admit_execution(self, client_id: UUID, execution_id: str, now: datetime,
                              window_seconds: int, max_calls: int) -> bool: ...


def zero_seed(workspace_id: UUID, client_id: UUID, cycle_start: datetime) -> SeededCycle:
    return SeededCycle(CycleUsage(), frozenset())
