from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.cycles import cycle_window
from domain.errors import InvalidInput
from domain.limit_policy import CycleKind, LimitPolicy

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe",
         "Asia/Kolkata", "Pacific/Apia", "America/Sao_Paulo"]

policies = st.builds(
    lambda cycle, anchor, zone: LimitPolicy(
        cycle=cycle, anchor_day=anchor if cycle is not CycleKind.WEEKLY else anchor % 7 + 1,
        timezone=zone),
    st.sampled_from(list(CycleKind)), st.integers(1, 31), st.sampled_from(ZONES))
instants = st.datetimes(min_value=datetime(1999, 1, 1), max_value=datetime(2101, 1, 1),
                        timezones=st.just(UTC))


@settings(max_examples=400, deadline=None)
@given(policies, instants)
def test_every_instant_lies_in_exactly_one_window_whose_neighbours_touch(policy, instant):
    window = cycle_window(policy, instant)

    assert window.start <= instant < window.end
    assert cycle_window(policy, window.end).start == window.end
    assert cycle_window(policy, window.start - timedelta(microseconds=1)).end == window.start


@settings(max_examples=300, deadline=None)
@given(policies, instants)
def test_window_length_matches_the_cycle_kind_within_a_dst_hour(policy, instant):
    length = cycle_window(policy, instant).end - cycle_window(policy, instant).start

    bounds = {CycleKind.DAILY: (timedelta(hours=22), timedelta(hours=26)),
              CycleKind.WEEKLY: (timedelta(days=7, hours=-2), timedelta(days=7, hours=2)),
              CycleKind.MONTHLY: (timedelta(days=28, hours=-2), timedelta(days=31, hours=2))}
    low, high = bounds[policy.cycle]
    assert low <= length <= high


def test_monthly_anchor_31_clamps_to_leap_day_in_february():
    policy = LimitPolicy(cycle=CycleKind.MONTHLY, anchor_day=31)

    window = cycle_window(policy, datetime(2028, 3, 15, tzinfo=UTC))

    assert window.start == datetime(2028, 2, 29, tzinfo=UTC)
    assert window.end == datetime(2028, 3, 31, tzinfo=UTC)


def test_monthly_cycle_starts_at_local_midnight_across_a_dst_change():
    policy = LimitPolicy(cycle=CycleKind.MONTHLY, anchor_day=1, timezone="Europe/Berlin")

    window = cycle_window(policy, datetime(2026, 10, 15, tzinfo=UTC))

    assert window.start == datetime(2026, 9, 30, 22, tzinfo=UTC)  # CEST, UTC+2
    assert window.end == datetime(2026, 10, 31, 23, tzinfo=UTC)  # CET, UTC+1
    assert window.label == "2026-10"


def test_weekly_cycle_starts_on_the_anchor_weekday():
    policy = LimitPolicy(cycle=CycleKind.WEEKLY, anchor_day=1)

    window = cycle_window(policy, datetime(2026, 11, 28, 12, tzinfo=UTC))  # a Saturday

    assert window.start == datetime(2026, 11, 23, tzinfo=UTC)
    assert window.seconds_until_end(datetime(2026, 11, 29, 23, 59, 30, tzinfo=UTC)) == 30


def test_unknown_time_zone_is_refused():
    with pytest.raises(InvalidInput) as raised:
        LimitPolicy(timezone="Mars/Olympus")

    assert raised.value.field == "timezone"
