"""The dashboard's security pieces on their own: throttle, CSRF tokens, roles, redirects."""

from __future__ import annotations

import pytest

from dashboard.security.csrf import csrf_token, same_origin, token_matches
from dashboard.security.login_routes import safe_next
from dashboard.security.login_throttle import LoginThrottle
from dashboard.security.roles import Permission, require, role_can
from domain.errors import PermissionDenied

SECRET = b"k" * 32


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_sixth_attempt_within_a_minute_is_refused_with_the_wait():
    clock = FakeMonotonic()
    throttle = LoginThrottle(monotonic=clock)

    allowed = [throttle.try_attempt("a@x.io", "10.0.0.1") for _ in range(5)]
    clock.now += 20
    refused = throttle.try_attempt("a@x.io", "10.0.0.1")

    assert allowed == [0.0] * 5
    assert refused == pytest.approx(40.0)


def test_attempts_are_counted_per_email_and_address_case_insensitively():
    throttle = LoginThrottle(max_attempts=1, monotonic=FakeMonotonic())
    throttle.try_attempt("A@x.io", "10.0.0.1")

    assert throttle.try_attempt("a@X.io", "10.0.0.1") > 0
    assert throttle.try_attempt("a@x.io", "10.0.0.2") == 0
    assert throttle.try_attempt("b@x.io", "10.0.0.1") == 0


def test_the_window_slides_and_a_success_clears_the_count():
    clock = FakeMonotonic()
    throttle = LoginThrottle(max_attempts=2, monotonic=clock)
    throttle.try_attempt("a@x.io", "ip")
    throttle.try_attempt("a@x.io", "ip")
    assert throttle.try_attempt("a@x.io", "ip") > 0

    clock.now += 61
    assert throttle.try_attempt("a@x.io", "ip") == 0
    throttle.succeeded("a@x.io", "ip")
    assert throttle.try_attempt("a@x.io", "ip") == 0
    assert throttle.try_attempt("a@x.io", "ip") == 0


def test_a_csrf_token_only_matches_the_session_it_was_made_for():
    token = csrf_token(SECRET, "nonce-1")

    assert token_matches(SECRET, "nonce-1", token)
    assert not token_matches(SECRET, "nonce-2", token)
    assert not token_matches(b"other" * 8, "nonce-1", token)
    assert not token_matches(SECRET, None, token)
    assert not token_matches(SECRET, "nonce-1", None)
    assert not token_matches(SECRET, "nonce-1", "")


@pytest.mark.parametrize(("origin", "referer", "genuine"), [
    ("http://gw.example:8080", None, True),
    ("https://gw.example:8080", None, True),  # a TLS proxy in front changes the scheme
    ("https://evil.example", None, False),
    ("null", "https://evil.example/page", False),
    (None, "http://gw.example:8080/dashboard/", True),
    (None, "http://gw.example.evil.io/", False),
    (None, None, True),  # the token decides
])
def test_a_post_from_another_origin_is_not_genuine(origin, referer, genuine):
    assert same_origin("gw.example:8080", origin, referer) is genuine


def test_admins_may_do_everything_operators_all_but_settings_auditors_nothing():
    assert all(role_can("admin", p) for p in Permission)
    assert [p for p in Permission if role_can("operator", p)] == [
        Permission.MANAGE_CLIENTS, Permission.MANAGE_KEYS, Permission.MANAGE_LIMITS]
    assert not any(role_can("auditor", p) for p in Permission)
    assert not any(role_can("janitor", p) for p in Permission)


def test_require_refuses_with_permission_denied():
    require("operator", Permission.MANAGE_KEYS)

    with pytest.raises(PermissionDenied, match="auditor"):
        require("auditor", Permission.MANAGE_KEYS)


@pytest.mark.parametrize(("asked", "sent_to"), [
    ("/clients?status=active", "/clients?status=active"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    (None, "/"),
])
def test_after_sign_in_only_paths_of_this_site_are_followed(asked, sent_to):
    assert safe_next(asked) == sent_to
