"""Mutable per-app state: counters, the diagnostic request log and stored responses."""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

from aiohttp import web

from simulator.config import SimulatorConfig
from simulator.response_store import ResponseStore

RECENT_REQUESTS_KEPT = 100


class SimulatorState:
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.expected_authorization = f"Bearer {config.api_key}" if config.api_key else None
        self.request_count = 0
        self.recent_requests: deque[dict[str, Any]] = deque(maxlen=RECENT_REQUESTS_KEPT)
        self.responses = ResponseStore()
        self._serials = itertools.count(1)
        self._inference_count = 0
        rate = config.error_rate
        self._failure_period = max(1, round(1 / rate)) if rate > 0 else 0

    def record(self, path: str, authorization: str | None, body: Any) -> None:
        self.request_count += 1
        self.recent_requests.append({"path": path, "authorization": authorization, "body": body})

    def next_serial(self) -> int:
        return next(self._serials)

    def scheduled_failure(self) -> bool:
        """Whether this inference request is the one in every round(1/error_rate) that fails."""
        if not self._failure_period:
            return False
        self._inference_count += 1
        return self._inference_count % self._failure_period == 0


SIMULATOR_STATE = web.AppKey("simulator_state", SimulatorState)
