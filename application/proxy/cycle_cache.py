"""The current cycle of each client, recomputed only when it ends or the policy changes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.client import Client
from domain.cycles import CycleWindow, cycle_window


class CycleCache:
    def __init__(self) -> None:
        # Time-zone arithmetic costs ~30 µs; a dict lookup keeps it off the hot path.
        self._windows: dict[UUID, tuple[int, CycleWindow]] = {}

    def window(self, client: Client, now: datetime) -> CycleWindow:
        cached = self._windows.get(client.id)
        if cached is not None and cached[0] == client.version and cached[1].contains(now):
            return cached[1]
        window = cycle_window(client.policy, now)
        self._windows[client.id] = (client.version, window)
        return window
