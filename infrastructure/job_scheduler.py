"""Scheduled jobs (APScheduler) in the serving process, run by one leader among processes.

Every process schedules the jobs; each run first asks the leader election, so only the
process holding the lock does the work, and another takes over when that one dies. The
jobs are idempotent, so an overlap during a takeover would emit nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler

from infrastructure.projection_leadership import LeaderElection

log = logging.getLogger(__name__)
LEADER_NAME = "scheduled-jobs"


class ScheduledJobs:
    def __init__(self, leader: LeaderElection,
                 jobs: dict[str, tuple[Callable[[], object], float]]):
        self.leader = leader
        self.jobs = jobs
        self.runs: dict[str, int] = {name: 0 for name in jobs}
        self._scheduler: BackgroundScheduler | None = None

    def leads(self) -> bool:
        return LEADER_NAME in self.leader.try_lead([LEADER_NAME])

    def run_now(self, name: str) -> object:
        """Runs one job if this process leads; None when it does not."""
        if not self.leads():
            return None
        job, _ = self.jobs[name]
        result = job()
        self.runs[name] += 1
        log.info("scheduled job ran", extra={"job": name, "result": str(result)})
        return result

    def start(self) -> None:
        scheduler = BackgroundScheduler(timezone=UTC)
        first = datetime.now(UTC) + timedelta(seconds=1)
        for name, (_, seconds) in self.jobs.items():
            scheduler.add_job(self._guarded, "interval", args=[name], seconds=seconds,
                              id=name, max_instances=1, coalesce=True, next_run_time=first)
        scheduler.start()
        self._scheduler = scheduler

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=True)
            self._scheduler = None
        self.leader.close()

    def _guarded(self, name: str) -> None:
        try:
            self.run_now(name)
        except Exception:
            log.exception("scheduled job failed; it will run again", extra={"job": name})
