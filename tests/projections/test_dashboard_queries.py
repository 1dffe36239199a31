"""The dashboard's sums over the rollup equal the sums over the requests themselves."""

import math
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from projections.dashboard_queries import usage_breakdown, usage_by_client
from projections.histogram import percentile
from projections.latency_buckets import BOUNDS_MS, BUCKETS, bucket_of
from projections.rollup_latency import latency_by_model
from projections.rollup_periods import periods
from projections.usage_rollup_tables import DAILY, HOURLY
from projections.values import exact_sum, hour_of
from tests.projections.usage_events import T0, store, traffic

OTHER_WS = UUID(int=77)
EVENTS = traffic(1500, seed=21, workspaces=(WS, OTHER_WS))  # about four days from T0
RANGES = {
    "a quiet hour": (T0 - timedelta(hours=1), T0),
    "whole hours within a day": (T0 + timedelta(hours=2), T0 + timedelta(hours=9)),
    "hours across days": (T0 + timedelta(hours=5), T0 + timedelta(days=2, hours=3)),
    "odd minutes": (T0 + timedelta(hours=3, minutes=17), T0 + timedelta(days=3, minutes=41)),
    "whole days": (datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 5, tzinfo=UTC)),
    "everything": (T0 - timedelta(days=30), T0 + timedelta(days=30)),
}


def in_range(start, end, client_id=None, workspace_id=WS):
    """The requests of the hours that begin inside ``[start, end)``."""
    return [e for e in EVENTS if e.workspace_id == workspace_id
            and start <= hour_of(e.timestamp) < end
            and (client_id is None or e.client_id == client_id)]


def sums(events):
    return (len(events), sum(e.status >= 400 for e in events),
            sum(e.prompt_tokens for e in events), sum(e.completion_tokens for e in events),
            exact_sum(e.provider_cost for e in events), exact_sum(e.billed_cost for e in events))


def grouped(events, key):
    found = defaultdict(list)
    for e in events:
        found[key(e)].append(e)
    return {group: sums(members) for group, members in found.items()}


def as_dict(usages):
    return {u.group: (u.requests, u.errors, u.prompt_tokens, u.completion_tokens,
                      u.provider_cost, u.billed_cost) for u in usages}


@pytest.fixture
def filled(gateway):
    store(gateway, EVENTS)
    gateway.projections.catch_up()
    return gateway


@pytest.mark.parametrize("name", RANGES)
def test_a_breakdown_sums_the_requests_of_its_range_by_client_model_and_failure(filled, name):
    start, end = RANGES[name]
    expected = in_range(start, end)

    found = usage_breakdown(filled.read_models, WS, start, end)

    assert as_dict(found.per_client) == grouped(expected, lambda e: e.client_id)
    assert usage_by_client(filled.read_models, WS, start, end) == found.per_client
    assert as_dict(found.per_model) == grouped(expected, lambda e: e.model)
    assert {(f.status, f.outcome, f.error_type): f.requests for f in found.errors} == {
        cause: n[0] for cause, n in grouped(
            [e for e in expected if e.status >= 400],
            lambda e: (e.status, e.outcome, e.error_type)).items()}


@pytest.mark.parametrize("name", RANGES)
def test_periods_are_hours_or_whole_days_and_add_up_to_the_range(filled, name):
    start, end = RANGES[name]
    expected = in_range(start, end)

    by_hour = usage_breakdown(filled.read_models, WS, start, end, by_hour=True)
    by_day = usage_breakdown(filled.read_models, WS, start, end)

    assert as_dict(by_hour.per_period) == grouped(expected, lambda e: hour_of(e.timestamp))
    daily = defaultdict(list)
    for usage in by_day.per_period:  # whole days, and single hours at the two ends
        daily[usage.group.replace(hour=0)].append(usage)
    assert {day: sum(u.requests for u in found) for day, found in daily.items()} == {
        day: n[0] for day, n in grouped(
            expected, lambda e: hour_of(e.timestamp).replace(hour=0)).items()}


def test_a_client_filter_and_another_workspace_see_only_their_own(filled):
    start, end = RANGES["hours across days"]
    client = [e for e in EVENTS if e.workspace_id == WS][0].client_id
    other = [e for e in EVENTS if e.workspace_id == OTHER_WS][0].client_id

    mine = usage_breakdown(filled.read_models, WS, start, end, client_id=client)
    theirs = usage_breakdown(filled.read_models, OTHER_WS, start, end)

    assert [u.group for u in mine.per_client] == [client]
    assert as_dict(mine.per_model) == grouped(in_range(start, end, client), lambda e: e.model)
    assert {u.group for u in theirs.per_client} == {
        e.client_id for e in in_range(start, end, workspace_id=OTHER_WS)}
    assert other not in {u.group for u in usage_breakdown(
        filled.read_models, WS, start, end).per_client}


@pytest.mark.parametrize("name", RANGES)
def test_latency_buckets_count_each_request_of_the_range_once(filled, name):
    start, end = RANGES[name]
    expected = defaultdict(lambda: ([0] * BUCKETS, [0] * BUCKETS))
    for e in in_range(start, end):
        expected[e.model][0][bucket_of(e.latency_ms)] += 1
        if e.ttft_ms is not None:
            expected[e.model][1][bucket_of(e.ttft_ms)] += 1

    found = latency_by_model(filled.read_models, WS, start, end)

    assert {m.group: (list(m.latency_counts), list(m.ttft_counts)) for m in found} == dict(
        expected)
    for model in found:
        events = [e for e in in_range(start, end) if e.model == model.group]
        assert model.latency_max_ms == max(e.latency_ms for e in events)


def test_a_percentile_from_the_buckets_is_within_a_fifth_of_the_exact_one(filled):
    start, end = RANGES["everything"]
    [o3] = [m for m in latency_by_model(filled.read_models, WS, start, end) if m.group == "o3"]
    values = sorted(float(e.latency_ms) for e in in_range(start, end) if e.model == "o3")

    for q in (0.5, 0.95):
        exact = values[math.ceil(q * len(values)) - 1]  # the nearest rank
        assert percentile(o3.latency_counts, q, o3.latency_max_ms, BOUNDS_MS) == pytest.approx(
            exact, rel=0.19)


def test_a_range_reads_whole_days_by_day_and_its_ends_by_hour():
    start = datetime(2025, 3, 1, 15, 30, tzinfo=UTC)

    split = periods(start, start + timedelta(days=3))

    assert [(p.table, p.start.isoformat(), p.end.isoformat()) for p in split] == [
        (HOURLY, "2025-03-01T16:00:00+00:00", "2025-03-02T00:00:00+00:00"),
        (DAILY, "2025-03-02T00:00:00+00:00", "2025-03-04T00:00:00+00:00"),
        (HOURLY, "2025-03-04T00:00:00+00:00", "2025-03-04T16:00:00+00:00")]
    assert [p.table for p in periods(start, start + timedelta(days=3), by_hour=True)] == [HOURLY]
    assert periods(start, start + timedelta(minutes=20)) == []


def test_bucket_bounds_grow_by_a_quarter_of_a_doubling_up_to_ten_minutes():
    assert BOUNDS_MS[0] == 1 and BOUNDS_MS[4] == 2 and BOUNDS_MS[-1] == float("inf")
    assert all(b / a == pytest.approx(2 ** 0.25) for a, b in zip(
        BOUNDS_MS[:-2], BOUNDS_MS[1:-1], strict=True))
    assert 600_000 < BOUNDS_MS[-2] < 700_000
    assert bucket_of(Decimal("1")) == 0 and bucket_of(Decimal("1.0001")) == 1
    assert bucket_of(Decimal("900000")) == BUCKETS - 1
