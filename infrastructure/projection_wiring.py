"""Opens the read-model database and its projection runner for the composition root."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventsourcing.application import Application

from infrastructure.database_url import DatabaseUrl
from infrastructure.projection_leadership import (
    FileLockLeader,
    LeaderElection,
    PostgresAdvisoryLeader,
    SoleLeader,
)
from infrastructure.projection_runner import ProjectionRunner
from infrastructure.read_model_database import open_read_model_database
from projections.ports import ReadModelDatabase
from projections.registry import all_projections


def leader_election(url: DatabaseUrl) -> LeaderElection:
    if url.backend == "postgres":
        return PostgresAdvisoryLeader(url.psycopg_conninfo())
    if url.backend == "sqlite":
        assert url.sqlite_path is not None
        return FileLockLeader(Path(f"{url.sqlite_path}.projections.lock"))
    return SoleLeader()


def open_projections(url: DatabaseUrl, management: Application[Any],
                     ledger: Application[Any]) -> tuple[ReadModelDatabase, ProjectionRunner]:
    """The read models' tables exist once this returns; the runner is not started."""
    read_models = open_read_model_database(url)
    try:
        runner = ProjectionRunner(read_models, {"management": management, "ledger": ledger},
                                  all_projections(), leader_election(url))
        runner.ensure_tables()
    except BaseException:
        read_models.close()
        raise
    return read_models, runner
