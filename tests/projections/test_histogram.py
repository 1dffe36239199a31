"""Percentiles from fixed latency buckets."""

from decimal import Decimal

import pytest

from projections.histogram import BOUNDS_MS, BUCKETS, bucket_of, percentile


def counts(**by_bucket: int) -> list[int]:
    found = [0] * BUCKETS
    for name, count in by_bucket.items():
        found[int(name[1:])] = count
    return found


def test_a_value_on_a_bound_falls_in_the_bucket_that_bound_closes():
    assert bucket_of(Decimal("5")) == 0
    assert bucket_of(Decimal("5.001")) == 1
    assert bucket_of(0) == 0
    assert bucket_of(Decimal("300000.001")) == BUCKETS - 1


def test_there_are_sixteen_buckets_and_the_last_is_unbounded():
    assert BUCKETS == 16
    assert BOUNDS_MS[-1] == float("inf")


def test_no_counts_have_no_percentile():
    assert percentile([0] * BUCKETS, 0.5) is None


def test_a_percentile_is_interpolated_within_its_bucket():
    # 100 values in (100, 250]: the median is half-way through the bucket.
    assert percentile(counts(b5=100), 0.5) == pytest.approx(175.0)
    assert percentile(counts(b5=100), 0.95) == pytest.approx(242.5)


def test_a_percentile_lands_in_the_bucket_holding_its_rank():
    # 90 fast requests (≤ 5 ms) and 10 slow ones (1–2 s): p50 is fast, p95 is slow.
    data = counts(b0=90, b8=10)

    assert percentile(data, 0.5) <= 5
    assert 1_000 < percentile(data, 0.95) <= 2_000


def test_the_maximum_caps_the_estimate():
    assert percentile(counts(b7=4), 0.95, maximum=Decimal("612.5")) == pytest.approx(612.5)


def test_the_unbounded_bucket_is_closed_by_the_maximum_or_else_reported_at_its_start():
    data = counts(b15=2)

    assert percentile(data, 0.5, maximum=Decimal("500000")) == pytest.approx(400_000)
    assert percentile(data, 0.5) == 300_000


def test_the_smallest_and_largest_quantiles_stay_in_the_occupied_buckets():
    data = counts(b2=1, b9=1)

    assert 10 <= percentile(data, 0.0) <= 25
    assert percentile(data, 1.0) == 5_000


def test_a_quantile_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError):
        percentile(counts(b1=1), 1.5)
