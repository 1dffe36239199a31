from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.money import apply_markup, to_micro_dollars, to_usd
from domain.pricing import Price, price_at

amounts = st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False,
                      allow_infinity=False)
tokens = st.integers(0, 10**8)
T0 = datetime(2026, 1, 1, tzinfo=UTC)


@given(amounts)
def test_dollar_amounts_round_trip_exactly_through_text(amount):
    assert to_usd(str(amount), field="x") == amount


def test_floats_are_read_by_their_shortest_text_not_their_binary_value():
    assert to_usd(0.1, field="x") == Decimal("0.1")


@pytest.mark.parametrize("bad", ["-1", "NaN", "Infinity", "abc", "0.0000000001"])
def test_bad_amounts_are_refused_with_the_field_named(bad):
    with pytest.raises(InvalidInput) as raised:
        to_usd(bad, field="max_credits")

    assert raised.value.field == "max_credits"


@given(tokens, tokens, amounts, amounts)
def test_cost_is_exact_and_additive_over_requests(prompt, completion, input_price, output_price):
    price = Price(1, input_price, output_price, None, T0)

    whole = price.cost(prompt, completion)
    split = price.cost(prompt // 2, completion // 2) + price.cost(
        prompt - prompt // 2, completion - completion // 2)

    assert whole == split
    assert whole == (prompt * input_price + completion * output_price) / 1_000_000


def test_cached_tokens_use_the_cached_price_when_the_model_has_one():
    price = Price(1, Decimal("2.50"), Decimal("10"), Decimal("1.25"), T0)

    # 600 × 2.50 + 400 × 1.25 + 100 × 10 = 3,000 micro-dollars
    assert price.cost(1000, 100, cached_tokens=400) == Decimal("0.003")


def test_markup_applies_exactly():
    assert apply_markup(Decimal("0.000123"), Decimal("25")) == Decimal("0.00015375")
    assert to_micro_dollars(Decimal("0.0000015")) == 2


def test_the_price_in_effect_is_the_latest_that_started():
    first = Price(1, Decimal(1), Decimal(1), None, T0)
    second = Price(2, Decimal(2), Decimal(2), None, datetime(2026, 6, 1, tzinfo=UTC))

    assert price_at((first, second), datetime(2026, 5, 31, tzinfo=UTC)) is first
    assert price_at((first, second), datetime(2026, 6, 1, tzinfo=UTC)) is second
    assert price_at((first, second), datetime(2025, 1, 1, tzinfo=UTC)) is None


def test_markup_on_fine_grained_prices_never_rounds():
    cost = Price(1, Decimal("0.123456789"), Decimal("0.987654321"), None, T0).cost(
        123_456_789, 987_654_321)

    billed = apply_markup(cost, Decimal("12.345678901"))

    assert billed * 100 == cost * (100 + Decimal("12.345678901"))  # exact, no rounding
    assert len(billed.as_tuple().digits) > 28
