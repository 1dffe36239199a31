"""Each client's policy and current cycle, recomputed only when either changes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.client import Client
from domain.cycles import CycleWindow, cycle_window
from domain.limit_policy import LimitPolicy


class CycleCache:
    def __init__(self) -> None:
        # Parsing a policy and time-zone arithmetic cost ~35 µs; a dict lookup keeps them
        # off the hot path. A new client version (a changed policy) misses the cache.
        self._entries: dict[UUID, tuple[int, LimitPolicy, CycleWindow]] = {}

    def current(self, client: Client, now: datetime) -> tuple[LimitPolicy, CycleWindow]:
        cached = self._entries.get(client.id)
        if cached is not None and cached[0] == client.version and cached[2].contains(now):
            return cached[1], cached[2]
        policy = client.policy
        window = cycle_window(policy, now)
        self._entries[client.id] = (client.version, policy, window)
        return policy, window
