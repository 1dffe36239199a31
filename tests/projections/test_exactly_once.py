"""Each event counts exactly once: across restarts, failed batches and racing writers."""

import threading

import pytest

from infrastructure.projection_leadership import SoleLeader
from infrastructure.projection_runner import ProjectionRunner
from projections.registry import all_projections
from projections.usage_hourly import UsageHourlyProjection
from projections.values import decimal_of, exact_sum
from tests.projections.usage_events import store, traffic

LEDGER_TABLES = ("rm_usage_per_cycle", "rm_cycle_sessions", "rm_key_usage", "rm_usage_hourly",
                 "rm_request_log")


def totals(gateway):
    [row] = gateway.read_models.fetch_all(
        "SELECT SUM(requests) AS requests, SUM(prompt_tokens) AS prompt, "
        "rm_dec_sum(billed_cost) AS billed FROM rm_usage_hourly")
    [logged] = gateway.read_models.fetch_all("SELECT COUNT(*) AS n FROM rm_request_log")
    return int(row["requests"] or 0), int(row["prompt"] or 0), decimal_of(row["billed"]), \
        int(logged["n"])


def expected(events):
    return (len(events), sum(e.prompt_tokens for e in events),
            exact_sum(e.billed_cost for e in events), len(events))


def runner_for(gateway, projections=None, batch_size=500):
    return ProjectionRunner(gateway.read_models,
                            {"management": gateway.management, "ledger": gateway.ledger},
                            projections or all_projections(), SoleLeader(),
                            batch_size=batch_size)


def test_a_restarted_gateway_resumes_where_it_stopped(gateway, make_gateway, database_url):
    events = traffic(900)
    store(gateway, events[:600])
    gateway.projections.catch_up()
    gateway.close()

    restarted = make_gateway(database_url)
    store(restarted, events[600:])
    applied = restarted.projections.catch_up()

    assert applied == 300
    assert totals(restarted) == expected(events)


def test_a_batch_that_fails_leaves_neither_rows_nor_a_new_position(gateway):
    class Exploding:
        name, source, tables = "exploding_v1", "ledger", ()

        def ddl(self):
            return ()

        def apply(self, events, cursor):
            raise RuntimeError("disk full")

    events = traffic(120)
    store(gateway, events)
    failing = runner_for(gateway, [UsageHourlyProjection(), Exploding()])
    failing.ensure_tables()

    with pytest.raises(RuntimeError):
        failing.catch_up()

    assert gateway.read_models.fetch_all("SELECT * FROM rm_usage_hourly") == []
    [status] = [s for s in failing.status() if s.name == "usage_hourly_v1"]
    assert status.position == 0
    gateway.projections.catch_up()
    assert totals(gateway) == expected(events)


def test_two_runners_racing_on_one_projection_still_count_each_event_once(gateway):
    events = traffic(1500)
    store(gateway, events)
    runners = [runner_for(gateway, batch_size=100) for _ in range(2)]
    errors = []

    def run(runner):
        try:
            runner.catch_up()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(r,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert totals(gateway) == expected(events)


def test_catching_up_twice_applies_nothing_the_second_time(gateway):
    store(gateway, traffic(50))
    gateway.projections.catch_up()

    assert gateway.projections.catch_up() == 0


def test_a_tracking_row_deleted_by_hand_starts_that_projection_over(gateway):
    store(gateway, traffic(40))
    with gateway.read_models.transaction() as cursor:
        cursor.execute("DELETE FROM rm_tracking WHERE projection = 'request_log_v1'")

    gateway.projections.catch_up()

    [logged] = gateway.read_models.fetch_all("SELECT COUNT(*) AS n FROM rm_request_log")
    assert logged["n"] == 40
