"""The scheduled jobs of a serving process, and who may run them."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from application.jobs.close_cycles import CloseCycles
from application.jobs.expire_keys import ExpireKeys
from infrastructure.audit_wiring import adjust_closed_cycles, replay_statement
from infrastructure.job_scheduler import ScheduledJobs
from infrastructure.ledger_appender import EventSourcedLedgerAppender
from infrastructure.projection_leadership import (
    FileLockLeader,
    LeaderElection,
    PostgresAdvisoryLeader,
    SoleLeader,
)
from projections.request_log_retention import purge_request_log, retention_cutoff

if TYPE_CHECKING:
    from infrastructure.bootstrap import Gateway

log = logging.getLogger(__name__)
LAGGING_EVENTS = 5_000


def jobs_leader(gateway: Gateway) -> LeaderElection:
    url = gateway.database
    if url.backend == "postgres":
        return PostgresAdvisoryLeader(url.psycopg_conninfo(), namespace="llm_gateway.jobs:")
    if url.backend == "sqlite":
        assert url.sqlite_path is not None
        return FileLockLeader(Path(f"{url.sqlite_path}.jobs.lock"))
    return SoleLeader()


def scheduled_jobs(gateway: Gateway) -> ScheduledJobs:
    clock, state = gateway.clock, gateway.state
    retention = timedelta(days=gateway.settings.request_log_retention_days)

    expire = ExpireKeys(gateway.keys.store, clock)
    close = CloseCycles(lambda: replay_statement(gateway),
                        EventSourcedLedgerAppender(gateway.ledger), clock)
    adjust = adjust_closed_cycles(gateway)

    def report_projection_health() -> int:
        lagging = [s for s in gateway.projections.status() if s.lag > LAGGING_EVENTS]
        for status in lagging:
            log.warning("projection is lagging", extra={"projection": status.name,
                                                         "lag_events": status.lag})
        return len(lagging)

    return ScheduledJobs(jobs_leader(gateway), {
        "expire_keys": (lambda: expire.execute(list(state.keys.values())), 60),
        "close_cycles": (lambda: close.execute(list(state.clients.values())), 300),
        "adjust_closed_cycles": (lambda: adjust.execute(list(state.clients.values())), 300),
        "request_log_retention": (lambda: purge_request_log(
            gateway.read_models, retention_cutoff(clock.now(), retention)), 3600),
        "projection_health": (report_projection_health, 60),
    })
