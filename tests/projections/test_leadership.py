"""One process runs each projection; when it dies, another takes over."""

import time
from pathlib import Path

import pytest

from infrastructure.database_url import DatabaseUrl
from infrastructure.projection_leadership import FileLockLeader, PostgresAdvisoryLeader, lock_key
from infrastructure.projection_runner import ProjectionRunner
from projections.registry import all_projections
from tests.projections.usage_events import store, traffic

NAMES = [p.name for p in all_projections()]


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_lock_key_is_the_same_in_every_process_and_differs_by_name():
    assert lock_key("usage_per_cycle_v1") == lock_key("usage_per_cycle_v1")
    assert lock_key("usage_per_cycle_v1") != lock_key("usage_per_cycle_v2")
    assert -(2**63) <= lock_key("x") < 2**63


def test_on_sqlite_one_file_lock_elects_a_single_process(tmp_path: Path):
    first, second = (FileLockLeader(tmp_path / "gw.db.projections.lock") for _ in range(2))
    try:
        assert first.try_lead(NAMES) == set(NAMES)
        assert second.try_lead(NAMES) == set()

        first.close()

        assert second.try_lead(NAMES) == set(NAMES)
    finally:
        first.close()
        second.close()


@pytest.mark.postgres
def test_on_postgres_only_one_runner_leads_and_another_takes_over_when_it_dies(
        make_gateway, postgres_url):
    gateway = make_gateway(postgres_url)
    conninfo = DatabaseUrl.parse(postgres_url).psycopg_conninfo()
    runners = [ProjectionRunner(gateway.read_models,
                                {"management": gateway.management, "ledger": gateway.ledger},
                                all_projections(), PostgresAdvisoryLeader(conninfo),
                                election_interval=0.5) for _ in range(2)]
    try:
        for runner in runners:
            runner.start()
        assert wait_for(lambda: all(any(r.election.leads(n) for r in runners) for n in NAMES))
        for name in NAMES:
            assert sum(r.election.leads(name) for r in runners) == 1
        leader = next(r for r in runners if r.election.leads("request_log_v1"))
        follower = next(r for r in runners if r is not leader)
        store(gateway, traffic(300))
        assert wait_for(lambda: {s.lag for s in leader.status()} == {0})

        started = time.monotonic()
        leader.stop()  # its session ends, and its advisory locks with it
        assert wait_for(lambda: all(follower.election.leads(n) for n in NAMES))
        took_over = time.monotonic() - started

        store(gateway, traffic(200, seed=8))
        assert wait_for(lambda: {s.lag for s in follower.status()} == {0})
        assert took_over < 10
        [logged] = gateway.read_models.fetch_all("SELECT COUNT(*) AS n FROM rm_request_log")
        assert logged["n"] == 500
    finally:
        for runner in runners:
            runner.stop()


@pytest.mark.postgres
def test_on_postgres_a_lost_lock_connection_loses_the_lead(make_gateway, postgres_url):
    gateway = make_gateway(postgres_url)
    conninfo = DatabaseUrl.parse(postgres_url).psycopg_conninfo()
    election = PostgresAdvisoryLeader(conninfo)
    try:
        assert election.try_lead(["clients_v1"]) == {"clients_v1"}
        key = lock_key("llm_gateway.projection:clients_v1") & (2**64 - 1)
        [pid] = gateway.read_models.fetch_all(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND classid::bigint = :high AND objid::bigint = :low",
            {"high": key >> 32, "low": key & 0xFFFFFFFF})
        gateway.read_models.fetch_all("SELECT pg_terminate_backend(:pid)", {"pid": pid["pid"]})

        assert wait_for(lambda: election.try_lead([]) == set(), timeout=5)
        assert election.try_lead(["clients_v1"]) == {"clients_v1"}  # a new session leads again
    finally:
        election.close()
