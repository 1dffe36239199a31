"""Which period an audit covers: a cycle label, a start and end, or the cycle running now."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from application.audit.period import CUSTOM, audit_window, previous_cycle
from domain.errors import InvalidInput
from domain.limit_policy import CycleKind, LimitPolicy

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
MONTHLY = LimitPolicy()


def test_without_a_choice_the_audit_covers_the_cycle_running_now():
    window = audit_window(MONTHLY, NOW)

    assert (window.label, window.start, window.end) == (
        "2026-11", datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))


def test_a_label_names_a_cycle_and_previous_cycle_steps_back_one():
    current = audit_window(MONTHLY, NOW, "2026-11")

    assert previous_cycle(MONTHLY, current) == audit_window(MONTHLY, NOW, "2026-10")
    assert previous_cycle(MONTHLY, current).label == "2026-10"


def test_a_weekly_cycles_label_is_its_start_date_and_names_it_again():
    weekly = LimitPolicy(cycle=CycleKind.WEEKLY, anchor_day=1, timezone="Europe/Berlin")
    window = audit_window(weekly, NOW)

    assert audit_window(weekly, NOW, window.label) == window
    assert previous_cycle(weekly, window).end == window.start


def test_a_start_and_end_win_over_a_cycle():
    window = audit_window(MONTHLY, NOW, "2026-10", "2026-11-02T00:00:00+00:00",
                          "2026-11-03T00:00:00+01:00")

    assert (window.label, window.start, window.end) == (
        CUSTOM, datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 2, 23, tzinfo=UTC))


@pytest.mark.parametrize("cycle, start, end, field", [
    ("November", None, None, "cycle"),
    (None, "yesterday", None, "from"),
    (None, "2026-11-02T00:00:00+00:00", "2026-11-01T00:00:00+00:00", "to"),
])
def test_a_malformed_period_is_invalid_input_naming_the_field(cycle, start, end, field):
    with pytest.raises(InvalidInput) as refused:
        audit_window(MONTHLY, NOW, cycle, start, end)

    assert refused.value.field == field
