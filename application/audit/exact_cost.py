"""``Price.cost`` for replays, which call it once per event: the same Decimal, digit for
digit, from integer arithmetic and one Decimal built from text.

``Price.cost`` adds three exact products and divides the sum by a million. An exact sum
of products has the smallest exponent of its terms and the integer coefficient that makes
the value. An exact quotient takes the exponent nearest the dividend's (decimal's "ideal
exponent"), so dividing by 10**6 moves the exponent down by six and then drops up to six
trailing zeros. Where anything falls outside what makes this plainly true (a token count
that is not a non-negative int, a price that is not a finite non-negative Decimal, an
amount too long for 100 digits), ``Price.cost`` itself answers. The Decimal operations
take ~2.5 µs, mostly converting ints; this takes well under one.
"""

from __future__ import annotations

from decimal import Decimal

from domain.pricing import Price

_LONGEST = 10**90  # well inside the 100 digits of EXACT


def _plain(amount: object) -> bool:
    return (type(amount) is Decimal and amount.is_finite()  # type: ignore[attr-defined]
            and not amount.is_signed())  # type: ignore[attr-defined]


class ExactCost:
    def __init__(self, price: Price):
        self.price, self.version = price, price.version
        cached_price = price.cached_input_per_million
        amounts = [price.input_per_million, price.output_per_million]
        # Price.cost multiplies cached tokens by ``cached price or 0``: a zero cached
        # price, whatever its exponent, gives a term with exponent 0, as no cached price.
        self._has_cached = cached_price is not None
        if cached_price:
            amounts.append(cached_price)
        self._fast = all(_plain(a) for a in (*amounts, cached_price or Decimal(0)))
        if not self._fast:
            return
        # Each rate as an integer coefficient at the smallest exponent of all the terms.
        shapes = [a.as_tuple() for a in amounts]
        exponents: list[int] = [shape.exponent for shape in shapes]  # type: ignore[misc]
        self._exponent = min(exponents + ([] if cached_price else [0]))
        rates = [int("".join(map(str, shape.digits))) * 10 ** (e - self._exponent)
                 for shape, e in zip(shapes, exponents, strict=True)]
        self._input, self._output = rates[0], rates[1]
        self._cached = rates[2] if cached_price else 0
        self._zero = Decimal(f"0E{self._exponent}")

    def cost(self, prompt_tokens: int, completion_tokens: int, cached_tokens: int = 0) -> Decimal:
        if (not self._fast or type(prompt_tokens) is not int
                or type(completion_tokens) is not int or type(cached_tokens) is not int
                or prompt_tokens < 0 or completion_tokens < 0):
            return self.price.cost(prompt_tokens, completion_tokens, cached_tokens)
        cached = min(max(cached_tokens, 0), prompt_tokens) if self._has_cached else 0
        total = ((prompt_tokens - cached) * self._input + cached * self._cached
                 + completion_tokens * self._output)
        if not total:
            return self._zero
        if total >= _LONGEST:
            return self.price.cost(prompt_tokens, completion_tokens, cached_tokens)
        exponent = self._exponent - 6
        while exponent < self._exponent and not total % 10:
            total //= 10
            exponent += 1
        return Decimal(f"{total}E{exponent}")
