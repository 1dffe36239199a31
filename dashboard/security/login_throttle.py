"""Sign-in attempts allowed per email and address: a sliding window, in this process.

Attempts are counted before the password is checked, so guessing is slowed and the argon2
hash (deliberately costly) cannot be used to load the server. A success clears the count.
Each gateway process counts on its own: with N workers an attacker gets N times the budget.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MAX_ATTEMPTS = 5
WINDOW_SECONDS = 60.0
MAX_TRACKED = 10_000


class LoginThrottle:
    def __init__(self, max_attempts: int = MAX_ATTEMPTS, window_seconds: float = WINDOW_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic):
        self.max_attempts = max_attempts
        self.window_seconds = window_seconds
        self.monotonic = monotonic
        self._attempts: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def try_attempt(self, email: str, address: str) -> float:
        """Records an attempt and returns 0, or returns the seconds to wait if refused."""
        key, now = (email.strip().lower(), address), self.monotonic()
        with self._lock:
            attempts = self._attempts.setdefault(key, deque())
            while attempts and attempts[0] <= now - self.window_seconds:
                attempts.popleft()
            if len(attempts) >= self.max_attempts:
                return attempts[0] + self.window_seconds - now
            attempts.append(now)
            if len(self._attempts) > MAX_TRACKED:
                self._forget_idle(now)
            return 0.0

    def succeeded(self, email: str, address: str) -> None:
        with self._lock:
            self._attempts.pop((email.strip().lower(), address), None)

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, v in self._attempts.items() if not v or v[-1] <= now - self.window_seconds]
        for key in idle:
            del self._attempts[key]
