"""A process's lease of requests already counted in the shared limit counters."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.limits import CycleUsage
from infrastructure import limit_leases
from infrastructure.limit_leases import LeaseTable

KEY = ("client-1", datetime(2026, 12, 1, tzinfo=UTC))
NO_LIMITS = (None, None, None)


def test_a_lease_admits_as_many_requests_as_it_holds_then_asks_the_row():
    leases = LeaseTable()
    leases.grant(KEY, NO_LIMITS, 3, CycleUsage(requests=10))

    taken = [leases.take_one(KEY, NO_LIMITS) for _ in range(4)]

    assert [u.requests if u else None for u in taken] == [11, 12, 13, None]
    assert leases.give_back(KEY) == 0


def test_what_a_lease_did_not_use_is_given_back_once():
    leases = LeaseTable()
    leases.grant(KEY, NO_LIMITS, 5, CycleUsage())
    leases.take_one(KEY, NO_LIMITS)

    assert leases.give_back(KEY) == 4
    assert leases.give_back(KEY) == 0
    assert leases.take_one(KEY, NO_LIMITS) is None


def test_a_lease_is_not_used_under_other_limits():
    leases = LeaseTable()
    leases.grant(KEY, (5000, None, None), 5, CycleUsage())

    assert leases.take_one(KEY, (100, None, None)) is None
    assert leases.give_back(KEY) == 5


def test_a_lease_stops_near_a_token_or_credit_limit():
    leases = LeaseTable()
    limits = (None, 1000, Decimal("10"))
    leases.grant(KEY, limits, 5, CycleUsage(tokens=800, credits=Decimal("1")))
    assert leases.take_one(KEY, limits) is not None

    leases.add_usage(KEY, 100, Decimal(0))  # 900 of 1000 tokens: within the last 10%

    assert leases.take_one(KEY, limits) is None
    leases.grant(KEY, limits, 5, CycleUsage(tokens=0, credits=Decimal("9.00")))
    assert leases.take_one(KEY, limits) is None


def test_an_expired_lease_admits_nothing_and_is_given_back(monkeypatch):
    leases = LeaseTable()
    leases.grant(KEY, NO_LIMITS, 5, CycleUsage())
    assert leases.expired() == []

    later = time.monotonic() + limit_leases.LEASE_SECONDS + 1
    monkeypatch.setattr(limit_leases.time, "monotonic", lambda: later)

    assert leases.take_one(KEY, NO_LIMITS) is None
    assert leases.expired() == [(KEY, 5)]
    assert leases.expired() == []


def test_at_shutdown_every_lease_is_given_back():
    leases = LeaseTable()
    other = ("client-2", KEY[1])
    leases.grant(KEY, NO_LIMITS, 5, CycleUsage())
    leases.grant(other, NO_LIMITS, 2, CycleUsage())
    leases.take_one(other, NO_LIMITS)
    leases.take_one(other, NO_LIMITS)

    assert leases.expired(everything=True) == [(KEY, 5)]  # the spent one returns nothing


@pytest.mark.parametrize("size", [0, -1])
def test_an_empty_lease_is_not_kept(size):
    leases = LeaseTable()
    leases.grant(KEY, NO_LIMITS, size, CycleUsage())
    assert leases.take_one(KEY, NO_LIMITS) is None


def test_a_lease_asks_once_for_a_top_up_when_a_quarter_is_left_and_grows_by_it():
    leases = LeaseTable()
    leases.grant(KEY, NO_LIMITS, 8, CycleUsage())
    asked = []
    for _ in range(7):
        leases.take_one(KEY, NO_LIMITS)
        asked.append(leases.wants_top_up(KEY))

    assert asked == [False, False, False, False, False, True, False]  # at 2 of 8 left
    leases.grant(KEY, NO_LIMITS, 8, CycleUsage())
    leases.top_up_over(KEY)
    assert leases.give_back(KEY) == 1 + 8


def test_the_next_lease_follows_the_clients_pace_within_bounds(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(limit_leases.time, "monotonic", lambda: clock[0])
    leases = LeaseTable()
    assert leases.size_for(KEY) == limit_leases.MIN_LEASE
    leases.grant(KEY, NO_LIMITS, 10_000, CycleUsage())

    for _ in range(3000):
        leases.take_one(KEY, NO_LIMITS)
    clock[0] += 1.0  # 3,000 requests a second
    assert leases.size_for(KEY) == 300

    clock[0] += 1000
    assert leases.size_for(KEY) == limit_leases.MIN_LEASE
    for _ in range(10):
        leases.take_one(KEY, NO_LIMITS)
    clock[0] = 100.001  # a burst
    assert leases.size_for(KEY) == limit_leases.MAX_LEASE


def test_a_lease_being_topped_up_is_not_ended_as_expired(monkeypatch):
    leases = LeaseTable()
    leases.grant(KEY, NO_LIMITS, 4, CycleUsage())
    for _ in range(3):
        leases.take_one(KEY, NO_LIMITS)
    assert leases.wants_top_up(KEY)
    later = time.monotonic() + limit_leases.LEASE_SECONDS + 1
    monkeypatch.setattr(limit_leases.time, "monotonic", lambda: later)

    assert leases.expired() == []
    leases.top_up_over(KEY)
    assert leases.expired() == [(KEY, 1)]
