"""Keeps a ManagementState current by reading the management event log."""

from __future__ import annotations

import logging
import threading
from typing import Any

from eventsourcing.application import Application

from projections.management_state import ManagementState

log = logging.getLogger(__name__)
PAGE_SIZE = 500


class ManagementLogFollower:
    """Polls the notification log: SQLite cannot push, and a poll every 200 ms keeps
    revocations well within the one second they must take across processes."""

    def __init__(self, app: Application[Any], state: ManagementState, interval: float = 0.2):
        self.app = app
        self.state = state
        self.interval = interval
        self.healthy = True
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def catch_up(self) -> int:
        """Applies every event stored so far; returns how many were new."""
        applied = 0
        with self._lock:
            while True:
                notifications = self.app.recorder.select_notifications(
                    start=self.state.position, limit=PAGE_SIZE, inclusive_of_start=False)
                for notification in notifications:
                    event = self.app.mapper.to_domain_event(notification)
                    self.state.apply(event, notification.id)
                applied += len(notifications)
                if len(notifications) < PAGE_SIZE:
                    return applied

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._run, name="management-follower",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.catch_up()
                self.healthy = True
            except Exception:  # the database may be down; keep serving from memory
                if self.healthy:
                    log.exception("management log follower failed; retrying")
                self.healthy = False
