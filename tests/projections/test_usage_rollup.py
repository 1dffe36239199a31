"""The usage rollup holds, per hour and per day, exactly what the recorded requests add up to."""

import random
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from projections.latency_buckets import BUCKETS, bucket_of
from projections.usage_rollup_tables import DAILY, HOURLY, HOURLY_LATENCY
from projections.values import decimal_of, exact_sum, integer_of, utc_of
from tests.projections.test_rebuild import live_runner
from tests.projections.usage_events import T0, dump, store, traffic, usage

ROLLUP = "usage_rollup_v1"
TABLES = (HOURLY, DAILY, HOURLY_LATENCY)
TINY = Decimal("0.000000000000000000000001")  # 1e-24 dollars: a float sum would lose it


def rows(gateway, table):
    return gateway.read_models.fetch_all(f"SELECT * FROM {table}")


def test_a_rebuild_from_the_first_event_gives_the_rows_built_live(gateway):
    rng = random.Random(11)
    events = traffic(900, seed=5, workspaces=(WS, UUID(int=77)))
    live = live_runner(gateway, batch_size=41)
    position = 0
    while position < len(events):
        size = rng.choice((1, 3, 50, 200))
        store(gateway, events[position:position + size])
        position += size
        live.catch_up()
    built_live = {table: dump(gateway.read_models, table) for table in TABLES}

    replayed = gateway.projections.rebuild([ROLLUP])

    assert replayed == 900
    assert {table: dump(gateway.read_models, table) for table in TABLES} == built_live
    assert all(built_live.values())


def test_costs_add_up_exactly_per_hour_and_per_day(gateway):
    costs = [Decimal("0.1") + TINY, Decimal("0.2") + 2 * TINY, Decimal("0.000000123456789")]
    store(gateway, [usage(T0 + timedelta(minutes=i), provider_cost=cost,
                          billed_cost=cost * Decimal("1.175000001"))
                    for i, cost in enumerate(costs)])
    store(gateway, [usage(T0 + timedelta(hours=5), provider_cost=TINY, billed_cost=TINY)])

    gateway.projections.catch_up()

    hours = sorted(rows(gateway, HOURLY), key=lambda r: str(r["period"]))
    [day] = rows(gateway, DAILY)
    assert [decimal_of(h["provider_cost"]) for h in hours] == [exact_sum(costs), TINY]
    assert decimal_of(hours[0]["billed_cost"]) == exact_sum(
        c * Decimal("1.175000001") for c in costs)
    assert decimal_of(day["provider_cost"]) == Decimal("0.300000123456789") + 4 * TINY
    assert utc_of(day["period"]) == T0.replace(hour=0)


def test_a_failure_is_a_row_of_its_own_keyed_by_status_outcome_and_cause(gateway):
    store(gateway, [usage(), usage(),
                    usage(status=502, outcome="upstream_error", error_type="upstream"),
                    usage(status=429, outcome="rejected", prompt_tokens=0, completion_tokens=0,
                          limit_name="max_requests")])

    gateway.projections.catch_up()

    found = {(r["status"], r["outcome"], r["error_type"]): integer_of(r["requests"])
             for r in rows(gateway, HOURLY)}
    assert found == {(200, "ok", ""): 2, (502, "upstream_error", "upstream"): 1,
                     (429, "rejected", ""): 1}


def test_latency_buckets_by_day_and_by_hour_count_every_request_once(gateway):
    events = traffic(600, seed=9)
    store(gateway, events)

    gateway.projections.catch_up()

    expected = Counter(("latency", bucket_of(e.latency_ms)) for e in events) + Counter(
        ("ttft", bucket_of(e.ttft_ms)) for e in events if e.ttft_ms is not None)
    by_hour = Counter()
    for row in rows(gateway, HOURLY_LATENCY):
        by_hour[(row["kind"], integer_of(row["bucket"]))] += integer_of(row["requests"])
    by_day = Counter()
    for row in rows(gateway, DAILY):
        for b in range(BUCKETS):
            by_day[("latency", b)] += integer_of(row[f"lat_b{b}"])
            by_day[("ttft", b)] += integer_of(row[f"ttft_b{b}"])
    assert by_hour == expected
    assert +by_day == expected


def test_days_hold_the_sums_of_their_hours(gateway):
    store(gateway, traffic(700, seed=4))

    gateway.projections.catch_up()

    def totals(table, period_of):
        found = Counter()
        for r in rows(gateway, table):
            cell = (period_of(utc_of(r["period"])), r["client_id"], r["model"], r["status"])
            found[cell + ("requests",)] += integer_of(r["requests"])
            found[cell + ("tokens",)] += integer_of(r["prompt_tokens"]) + integer_of(
                r["completion_tokens"])
        return found

    assert totals(HOURLY, lambda at: at.replace(hour=0)) == totals(DAILY, lambda at: at)


def test_the_largest_latency_and_time_to_first_token_are_kept_exactly(gateway):
    store(gateway, [usage(latency_ms=Decimal("90.125")),
                    usage(latency_ms=Decimal("1500.001"), stream=True, ttft_ms=Decimal("250.5")),
                    usage(latency_ms=Decimal("20.5"), stream=True, ttft_ms=Decimal("3.25"))])

    gateway.projections.catch_up()

    for table in (HOURLY, DAILY):
        [row] = rows(gateway, table)
        assert decimal_of(row["latency_max_ms"]) == Decimal("1500.001")
        assert decimal_of(row["ttft_max_ms"]) == Decimal("250.5")
