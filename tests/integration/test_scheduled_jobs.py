"""Scheduled jobs run in one process at a time, and another takes over."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from infrastructure.job_wiring import scheduled_jobs


def test_only_one_gateway_leads_the_jobs_and_the_other_takes_over(make_gateway, database_url):
    first, second = make_gateway(database_url), make_gateway(database_url)
    jobs_one, jobs_two = scheduled_jobs(first), scheduled_jobs(second)
    try:
        assert jobs_one.leads() is True
        assert jobs_two.leads() is False

        jobs_one.stop()  # the leader goes away, its lock with it
        deadline = time.monotonic() + 10
        while not jobs_two.leads():
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        jobs_one.stop()
        jobs_two.stop()


def test_jobs_run_where_elected_and_expire_keys_once(make_gateway, database_url):
    gateway = make_gateway(database_url)
    client = gateway.clients.register(WS, "Acme")
    gateway.keys.issue(WS, client.id, "short", gateway.clock.now() + timedelta(seconds=1))
    jobs = scheduled_jobs(gateway)
    time.sleep(1.2)
    try:
        first = jobs.run_now("expire_keys")
        second = jobs.run_now("expire_keys")
        purged = jobs.run_now("request_log_retention")
        lagging = jobs.run_now("projection_health")
    finally:
        jobs.stop()

    assert (first, second, purged) == (1, 0, 0)
    assert lagging == 0


@pytest.mark.slow
def test_a_serving_gateway_starts_its_scheduler(make_gateway, database_url):
    gateway = make_gateway(database_url)

    gateway.start()
    try:
        time.sleep(1.5)
        runs = dict(gateway.jobs.runs)
    finally:
        gateway.close()

    assert runs["expire_keys"] >= 1 and runs["close_cycles"] >= 1
