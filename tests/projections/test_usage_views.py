"""The ledger's views hold what the recorded requests add up to."""

from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from projections.values import decimal_of, utc_of
from tests.projections.usage_events import MARCH, T0, store, usage

ACME, KEY = UUID(int=1), UUID(int=101)


def one(gateway, sql, **params):
    [found] = gateway.read_models.fetch_all(sql, params)
    return found


def test_a_cycle_row_sums_the_counted_requests_and_counts_refusals_apart(gateway):
    store(gateway, [
        usage(prompt_tokens=1000, completion_tokens=500, provider_cost=Decimal("0.0075"),
              billed_cost=Decimal("0.009"), session_id="s1"),
        usage(status=502, outcome="upstream_error", prompt_tokens=10, completion_tokens=0,
              provider_cost=Decimal("0.000025"), billed_cost=Decimal("0.00003")),
        usage(status=429, outcome="rejected", prompt_tokens=0, completion_tokens=0,
              provider_cost=Decimal(0), billed_cost=Decimal(0), session_id="s9"),
    ])

    gateway.projections.catch_up()

    cycle = one(gateway, "SELECT * FROM rm_usage_per_cycle WHERE client_id = :c", c=ACME)
    assert (utc_of(cycle["cycle_start"]), utc_of(cycle["cycle_end"])) == MARCH
    assert (cycle["requests"], cycle["prompt_tokens"], cycle["completion_tokens"],
            cycle["total_tokens"], cycle["sessions"], cycle["rejected"]) == (
        2, 1010, 500, 1510, 1, 1)
    assert decimal_of(cycle["provider_cost"]) == Decimal("0.007525")
    assert decimal_of(cycle["billed_cost"]) == Decimal("0.00903")


def test_a_session_seen_again_in_a_later_batch_is_counted_once(gateway):
    store(gateway, [usage(session_id="a"), usage(session_id="b")])
    gateway.projections.catch_up()
    store(gateway, [usage(session_id="a"), usage(session_id="c")])

    gateway.projections.catch_up()

    cycle = one(gateway, "SELECT sessions, requests FROM rm_usage_per_cycle WHERE client_id = :c",
                c=ACME)
    assert (cycle["sessions"], cycle["requests"]) == (3, 4)


def test_key_usage_sums_every_request_of_the_key(gateway):
    store(gateway, [usage(T0), usage(T0 + timedelta(minutes=3), prompt_tokens=7),
                    usage(T0, key_id=UUID(int=102))])

    gateway.projections.catch_up()

    key = one(gateway, "SELECT * FROM rm_key_usage WHERE key_id = :k", k=KEY)
    assert (key["workspace_id"], key["client_id"], key["requests"], key["prompt_tokens"]) == (
        str(WS), str(ACME), 2, 107)
    assert decimal_of(key["billed_cost"]) == Decimal("0.0030")
    assert utc_of(key["last_used_at"]) == T0 + timedelta(minutes=3)


def test_an_hourly_row_keeps_counts_sums_maxima_and_histograms(gateway):
    store(gateway, [usage(T0 + timedelta(minutes=1), latency_ms=Decimal("90.000")),
                    usage(T0 + timedelta(minutes=2), latency_ms=Decimal("1500.000"),
                          status=500, outcome="upstream_error", stream=True,
                          ttft_ms=Decimal("250.000"))])
    gateway.projections.catch_up()
    store(gateway, [usage(T0 + timedelta(minutes=3), latency_ms=Decimal("20.500"))])

    gateway.projections.catch_up()

    hour = one(gateway, "SELECT * FROM rm_usage_hourly WHERE client_id = :c", c=ACME)
    assert utc_of(hour["hour"]) == T0
    assert (hour["requests"], hour["errors"], hour["ttft_count"]) == (3, 1, 1)
    assert decimal_of(hour["latency_sum_ms"]) == Decimal("1610.500")
    assert decimal_of(hour["latency_max_ms"]) == Decimal("1500.000")
    assert decimal_of(hour["ttft_max_ms"]) == Decimal("250.000")
    assert (hour["lat_b2"], hour["lat_b4"], hour["lat_b8"], hour["ttft_b5"]) == (1, 1, 1, 1)


def test_the_request_log_has_one_row_per_request(gateway):
    event = usage(stream=True, ttft_ms=Decimal("12.5"), session_id="s", limit_name=None,
                  cached_tokens=40)
    store(gateway, [event])

    gateway.projections.catch_up()

    logged = one(gateway, "SELECT * FROM rm_request_log WHERE request_id = :r",
                 r=event.request_id)
    assert utc_of(logged["at"]) == T0
    assert (bool(logged["stream"]), logged["status"], logged["outcome"], logged["cached_tokens"],
            logged["session_id"], logged["usage_source"]) == (True, 200, "ok", 40, "s",
                                                              "provider")
    assert decimal_of(logged["ttft_ms"]) == Decimal("12.5")
    assert decimal_of(logged["provider_cost"]) == Decimal("0.00125")
