from datetime import UTC, datetime
from decimal import Decimal

from domain.cycles import cycle_window
from domain.limit_policy import LimitPolicy
from domain.limits import CycleUsage, first_exceeded, limit_exceeded, rate_limit_headers

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def test_a_request_is_admitted_while_usage_is_below_every_limit():
    policy = LimitPolicy(max_requests=10, max_tokens=1000, max_credits=Decimal("1.00"))

    assert first_exceeded(policy, CycleUsage(9, 999, Decimal("0.99"), 0), False) is None
    assert first_exceeded(policy, CycleUsage(10, 0, Decimal(0), 0), False)[0] == \
        "requests_limit"
    assert first_exceeded(policy, CycleUsage(0, 1000, Decimal(0), 0), False)[0] == \
        "tokens_limit"
    assert first_exceeded(policy, CycleUsage(0, 0, Decimal("1.00"), 0), False)[0] == \
        "credits_limit"


def test_only_a_new_session_counts_against_the_session_limit():
    policy = LimitPolicy(max_sessions=2)
    full = CycleUsage(sessions=2)

    assert first_exceeded(policy, full, new_session=False) is None
    assert first_exceeded(policy, full, new_session=True) == (
        "sessions_limit", {"limit": "2", "used": "2"})


def test_headers_report_what_remains_and_when_the_cycle_resets():
    policy = LimitPolicy(max_requests=100, max_tokens=5000, max_credits=Decimal("10"))

    headers = rate_limit_headers(policy, CycleUsage(40, 1200, Decimal("2.5"), 0),
                                 cycle_window(policy, NOW), NOW)

    assert headers["x-ratelimit-remaining-requests"] == "60"
    assert headers["x-ratelimit-remaining-tokens"] == "3800"
    assert headers["x-ratelimit-remaining-credits"] == "7.5"
    assert headers["x-ratelimit-reset-requests"] == f"{(2 * 24 + 12) * 3600}s"  # to Dec 1


def test_a_limit_error_names_the_limit_and_says_when_to_retry():
    error = limit_exceeded("requests_limit", {"limit": "100", "used": "100"}, 3600, {})

    assert error.code == "requests_limit"
    assert error.headers["retry-after"] == "3600"
    assert "100 requests" in error.message
