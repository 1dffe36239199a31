"""A batch is summed before it is written: the sums are what the events add up to."""

from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from projections.key_usage import key_deltas
from projections.usage_hourly import hour_deltas
from projections.usage_per_cycle import cycle_deltas
from tests.projections.usage_events import APRIL, MARCH, T0, usage

ACME, GLOBEX = UUID(int=1), UUID(int=2)


def test_a_cycle_sums_only_requests_that_count_against_limits():
    events = [usage(prompt_tokens=10, completion_tokens=5, provider_cost=Decimal("0.1")),
              usage(outcome="upstream_error", status=502, prompt_tokens=1, completion_tokens=0,
                    provider_cost=Decimal("0.01")),
              usage(outcome="rejected", status=429, prompt_tokens=0, completion_tokens=0),
              usage(outcome="bad_request", status=400, prompt_tokens=0, completion_tokens=0)]

    [(key, delta)] = cycle_deltas(events).items()

    assert key == (ACME, MARCH[0])
    assert (delta.requests, delta.prompt_tokens, delta.total_tokens) == (2, 11, 16)
    assert delta.provider_cost == Decimal("0.11")
    assert delta.rejected == 1


def test_requests_outside_any_cycle_are_left_out_of_cycles():
    assert cycle_deltas([usage(cycle_start=None, cycle_end=None)]) == {}


def test_each_client_and_cycle_gets_its_own_sums():
    deltas = cycle_deltas([usage(), usage(client_id=GLOBEX),
                           usage(T0 + timedelta(days=40), cycle_start=APRIL[0],
                                 cycle_end=APRIL[1])])

    assert set(deltas) == {(ACME, MARCH[0]), (GLOBEX, MARCH[0]), (ACME, APRIL[0])}


def test_a_cycle_collects_distinct_sessions_of_counted_requests_only():
    deltas = cycle_deltas([usage(session_id="a"), usage(session_id="a"), usage(session_id="b"),
                           usage(session_id=None),
                           usage(session_id="refused", outcome="rejected", status=429)])

    assert deltas[ACME, MARCH[0]].sessions == {"a", "b"}


def test_costs_are_summed_without_rounding():
    tiny = Decimal("0.000000000000000000000000123")
    deltas = cycle_deltas([usage(provider_cost=Decimal("1000.000000000000000000000000123")),
                           usage(provider_cost=tiny)])

    assert deltas[ACME, MARCH[0]].provider_cost == Decimal("1000.000000000000000000000000246")


def test_hours_are_utc_hours_and_split_by_key_model_and_endpoint():
    events = [usage(T0 + timedelta(minutes=5)), usage(T0 + timedelta(minutes=59)),
              usage(T0 + timedelta(minutes=60)), usage(T0, model="o3"),
              usage(T0, endpoint="/v1/embeddings"), usage(T0, key_id=UUID(int=102))]

    deltas = hour_deltas(events)

    assert len(deltas) == 5
    first = deltas[T0, usage().workspace_id, ACME, UUID(int=101), "gpt-4o",
                   "/v1/chat/completions"]
    assert first.counters["requests"] == 2


def test_an_hour_counts_errors_and_fills_its_latency_and_ttft_buckets():
    events = [usage(latency_ms=Decimal("4.000")),
              usage(latency_ms=Decimal("700.250"), status=502, outcome="upstream_error"),
              usage(latency_ms=Decimal("3000.000"), stream=True, ttft_ms=Decimal("80.5"))]

    [delta] = hour_deltas(events).values()

    assert delta.counters["errors"] == 1
    assert [delta.counters[f"lat_b{i}"] for i in (0, 7, 9)] == [1, 1, 1]
    assert delta.amounts["latency_sum_ms"] == Decimal("3704.250")
    assert delta.latency_max_ms == Decimal("3000.000")
    assert (delta.counters["ttft_count"], delta.counters["ttft_b4"]) == (1, 1)
    assert delta.ttft_max_ms == Decimal("80.5")


def test_an_hour_without_streams_has_no_ttft_maximum():
    [delta] = hour_deltas([usage()]).values()

    assert delta.ttft_max_ms is None
    assert delta.counters["ttft_count"] == 0


def test_key_usage_counts_every_request_and_remembers_the_latest_use():
    later = T0 + timedelta(hours=3)
    deltas = key_deltas([usage(later), usage(T0, outcome="rejected", status=429,
                                             prompt_tokens=0, completion_tokens=0)])

    delta = deltas[UUID(int=101)]
    assert (delta.requests, delta.prompt_tokens, delta.last_used_at) == (2, 100, later)
