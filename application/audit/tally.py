"""A statement's totals, added up once per (day, model, key) instead of five times per
event: a replay files each line under its group, and the total, by-model, by-key, by-day
and by-day-and-model sums are made from the groups at the end.

Exact sums do not depend on grouping or order: the value is exact (100 digits never
round these amounts), and a Decimal sum's exponent is the smallest of its terms' and of
the 0 each sum starts from, however the terms are grouped.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext
from operator import itemgetter

from application.audit.statement import Statement, Totals
from domain.money import EXACT

Line = tuple[int, int, Decimal, Decimal]  # prompt, completion, provider, billed
_PROMPT, _COMPLETION, _PROVIDER, _BILLED = (itemgetter(n) for n in range(4))


def sum_lines(lines: list[Line]) -> Totals:
    with localcontext(EXACT):  # sum() adds in the thread's context
        return Totals(len(lines), sum(map(_PROMPT, lines)), sum(map(_COMPLETION, lines)),
                      sum(map(_PROVIDER, lines), Decimal(0)),
                      sum(map(_BILLED, lines), Decimal(0)))


def fill_totals(statement: Statement, groups: dict[tuple[str, str, str], list[Line]],
                key_name: Callable[[str], str]) -> None:
    """``groups`` in the order they were first met, so every total is first met in the
    order a line-by-line sum would have met it; ``key_name`` names a group's key."""
    for (day, model, key), lines in groups.items():
        totals = sum_lines(lines)
        for into in (statement.total, statement.by_model[model],
                     statement.by_key[key_name(key)], statement.by_day[day],
                     statement.by_day_model[(day, model)]):
            into.merge(totals)
