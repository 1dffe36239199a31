"""The pieces that make replays fast keep their answers exact."""

from __future__ import annotations

import threading
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from application.audit.exact_cost import ExactCost
from application.audit.price_history import PriceHistory
from application.audit.statement import Statement, Totals
from application.audit.tally import fill_totals
from domain.pricing import Price
from infrastructure.read_ahead import read_ahead

T0 = datetime(2026, 11, 1, tzinfo=UTC)
TOLERANCE = timedelta(seconds=5)
seconds = st.integers(0, 60)


@given(st.lists(seconds, max_size=6), seconds)
def test_prices_stay_what_they_are_over_the_whole_span(starts, at_second):
    history, ws = PriceHistory(), uuid4()
    history.prices[(ws, "m")] = [Price(n + 1, Decimal(n), Decimal(1), None,
                                       T0 + timedelta(seconds=s))
                                 for n, s in enumerate(sorted(starts))]
    at = T0 + timedelta(seconds=at_second, microseconds=500_000)

    start, until = history.price_span(ws, "m", at, TOLERANCE)

    assert start <= at < until
    for t in (start, at, until - timedelta(microseconds=1)):
        if T0 - TOLERANCE < t < T0 + timedelta(days=1):
            assert history.price(ws, "m", t) == history.price(ws, "m", at)
            assert (history.price(ws, "m", t - TOLERANCE)
                    == history.price(ws, "m", at - TOLERANCE))
            assert (history.prices_between(ws, "m", t - TOLERANCE, t)
                    == history.prices_between(ws, "m", at - TOLERANCE, at))


@given(st.lists(st.tuples(seconds, st.integers(0, 50)), max_size=6), seconds)
def test_markups_stay_what_they_are_over_the_whole_span_in_any_order(changes, at_second):
    history, client = PriceHistory(), uuid4()
    history._markups[client] = [(T0 + timedelta(seconds=s), Decimal(m)) for s, m in changes]
    at = T0 + timedelta(seconds=at_second)

    start, until = history.markup_span(client, at, TOLERANCE)

    assert start <= at < until
    for t in (start, at, until - timedelta(microseconds=1)):
        if T0 - TOLERANCE < t < T0 + timedelta(days=1):
            assert history.markup(client, t) == history.markup(client, at)
            assert history.markup(client, t - TOLERANCE) == history.markup(client,
                                                                          at - TOLERANCE)
            assert (history.markups_between(client, t - TOLERANCE, t)
                    == history.markups_between(client, at - TOLERANCE, at))


@given(st.lists(st.tuples(seconds, st.integers(0, 50)), max_size=6), seconds, seconds)
def test_the_markups_between_two_moments_are_those_whose_time_in_effect_meets_them(
        changes, start_second, length):
    history, client = PriceHistory(), uuid4()
    history._markups[client] = sorted((T0 + timedelta(seconds=s), Decimal(m))
                                      for s, m in changes)
    start = T0 + timedelta(seconds=start_second)
    end = start + timedelta(seconds=length)
    held = [(T0 - timedelta(days=1), Decimal(0)), *history._markups[client]]
    untils = [since for since, _ in held[1:]] + [T0 + timedelta(days=1)]

    assert set(history.markups_between(client, start, end)) == {
        markup for (since, markup), until in zip(held, untils, strict=True)
        if since <= end and until > start}


def test_a_markup_replaced_within_the_tolerance_may_still_have_costed_a_request():
    history, client = PriceHistory(), uuid4()
    history._markups[client] = [(T0, Decimal(0)), (T0 + timedelta(seconds=1), Decimal(10)),
                                (T0 + timedelta(seconds=2), Decimal(25))]
    at = T0 + timedelta(seconds=3)  # 10 held for one second, two seconds ago

    assert history.markups_between(client, at - TOLERANCE, at) == [0, 10, 25]
    assert history.markups_between(client, at, at) == [25]


def test_a_price_replaced_within_the_tolerance_may_still_have_costed_a_request():
    history, ws = PriceHistory(), uuid4()
    history.prices[(ws, "m")] = [Price(v, Decimal(v), Decimal(1), None,
                                       T0 + timedelta(seconds=v)) for v in (1, 2, 3)]
    at = T0 + timedelta(seconds=4)

    versions = [p.version for p in history.prices_between(ws, "m", at - TOLERANCE, at)]
    assert versions == [1, 2, 3]
    assert [p.version for p in history.prices_between(ws, "m", at, at)] == [3]


rates = st.one_of(
    st.decimals(min_value=0, max_value=10**4, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("0"), Decimal("0.000"), Decimal("-0"), Decimal("0E+3"),
                     Decimal("1.5E+2"), Decimal("0.150"), Decimal("-1"), Decimal("NaN")]))
counts = st.one_of(st.integers(-10, 10**7), st.integers(0, 2**63), st.booleans())


@given(rates, rates, st.none() | rates, counts, counts, counts)
def test_exact_cost_is_price_cost_digit_for_digit(input_rate, output_rate, cached_rate,
                                                  prompt, completion, cached):
    price = Price(1, input_rate, output_rate, cached_rate, T0)
    try:
        expected = repr(price.cost(prompt, completion, cached))
    except ArithmeticError as error:  # e.g. NaN: it must fail the same way
        expected = type(error).__name__

    try:
        found = repr(ExactCost(price).cost(prompt, completion, cached))
    except ArithmeticError as error:
        found = type(error).__name__

    assert found == expected


amounts = st.decimals(min_value=0, max_value=10**6, places=20, allow_nan=False,
                      allow_infinity=False)
lines = st.lists(st.tuples(st.sampled_from(["d1", "d2"]), st.sampled_from(["m1", "m2"]),
                           st.sampled_from(["k1", "k2"]), st.integers(0, 10**6),
                           st.integers(0, 10**6), amounts, amounts), max_size=30)


@given(lines)
def test_totals_made_from_groups_are_the_line_by_line_totals_digit_for_digit(rows):
    by_group, one_by_one = {}, Statement(None, uuid4(), T0, T0)
    for day, model, key, prompt, completion, provider, billed in rows:
        by_group.setdefault((day, model, key), []).append((prompt, completion, provider,
                                                           billed))
        for totals in (one_by_one.total, one_by_one.by_model[model], one_by_one.by_key[key],
                       one_by_one.by_day[day], one_by_one.by_day_model[(day, model)]):
            totals.add(prompt, completion, provider, billed)
    grouped = Statement(None, one_by_one.client_id, T0, T0)

    fill_totals(grouped, by_group, str)

    assert repr(grouped.as_dict()) == repr(one_by_one.as_dict())
    assert repr(grouped.total) == repr(one_by_one.total)
    assert repr(dict(grouped.by_day_model)) == repr(dict(one_by_one.by_day_model))


def test_an_empty_group_list_leaves_the_totals_at_zero():
    statement = Statement(None, uuid4(), T0, T0)

    fill_totals(statement, {}, str)

    assert statement.total == Totals() and statement.by_model == defaultdict(Totals)


def test_read_ahead_yields_every_page_in_order():
    assert list(read_ahead(lambda: iter([[1, 2], [3], [], [4]]))) == [[1, 2], [3], [], [4]]


def test_read_ahead_raises_the_readers_error_where_it_is_read():
    def pages():
        yield [1]
        raise ConnectionError("the database went away")

    items = read_ahead(pages)

    assert next(items) == [1]
    with pytest.raises(ConnectionError, match="went away"):
        next(items)


def test_leaving_a_read_ahead_early_stops_its_thread():
    before = threading.active_count()
    endless = read_ahead(lambda: ([n] for n in range(10**9)), name="endless")

    assert next(endless) == [0]
    endless.close()

    assert threading.active_count() == before
