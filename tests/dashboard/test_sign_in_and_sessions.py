"""Signing in and out over HTTP: cookie flags, CSRF, throttling, and what ends a session."""

from __future__ import annotations

import pytest

from tests.dashboard.conftest import PASSWORD, STAFF, add_staff
from tests.dashboard.http_session import DashboardClient


@pytest.fixture
def dashboard(memory_gateway):
    add_staff(memory_gateway)
    with DashboardClient(memory_gateway) as client:
        yield client


def set_cookie_headers(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.get_list("set-cookie")}


def test_a_visitor_without_a_session_is_sent_to_the_sign_in_form(dashboard):
    page = dashboard.http.get("/dashboard/clients?status=active", follow_redirects=False)
    api = dashboard.http.get("/dashboard/_dash-layout")

    assert page.status_code == 302
    assert page.headers["location"] == "/dashboard/login?next=/clients?status=active"
    assert api.status_code == 401


def test_signing_in_sets_an_httponly_samesite_session_cookie_scoped_to_the_dashboard(dashboard):
    response = dashboard.login(STAFF["admin"], PASSWORD)

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/"
    cookies = set_cookie_headers(response)
    session = cookies["gw_dashboard_session"]
    assert "HttpOnly" in session and "SameSite=Lax" in session
    assert "Path=/dashboard" in session and "Secure" not in session
    csrf = cookies["_csrf_token"]
    assert "SameSite=Strict" in csrf and "HttpOnly" not in csrf
    assert dashboard.http.get("/dashboard/_dash-layout").status_code == 200


def test_in_production_both_cookies_are_secure(make_gateway):
    gateway = make_gateway("memory://", env="production")
    add_staff(gateway)
    with DashboardClient(gateway) as client:
        response = client.login(STAFF["admin"], PASSWORD)

    cookies = set_cookie_headers(response)
    assert "Secure" in cookies["gw_dashboard_session"]
    assert "Secure" in cookies["_csrf_token"]


def test_the_sign_in_form_needs_its_csrf_token(dashboard):
    missing = dashboard.login(STAFF["admin"], PASSWORD, csrf=None)
    forged = dashboard.login(STAFF["admin"], PASSWORD, csrf="0" * 64)

    assert missing.status_code == forged.status_code == 400
    assert dashboard.http.get("/dashboard/_dash-layout").status_code == 401


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(dashboard):
    wrong = dashboard.login(STAFF["admin"], "not the password")
    unknown = dashboard.login("nobody@agency.example", PASSWORD)

    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong email or password." in wrong.text and "Wrong email or password." in unknown.text


def test_the_sixth_attempt_in_a_minute_is_refused_even_with_the_right_password(dashboard):
    for _ in range(5):
        assert dashboard.login(STAFF["admin"], "not the password").status_code == 401

    refused = dashboard.login(STAFF["admin"], PASSWORD)

    assert refused.status_code == 429
    assert "Too many attempts" in refused.text
    assert dashboard.login(STAFF["operator"], PASSWORD).status_code == 303


def test_callback_posts_need_the_session_csrf_token_and_our_origin(dashboard):
    dashboard.login(STAFF["admin"], PASSWORD)
    values = {"clients-search.value": "", "clients-status.value": "all"}

    assert dashboard.fire("clients-table", values).status_code == 200
    assert dashboard.fire("clients-table", values, csrf=False).status_code == 403
    assert dashboard.fire("clients-table", values,
                          headers={"X-CSRFToken": "0" * 64}).status_code == 403
    assert dashboard.fire("clients-table", values,
                          headers={"Origin": "https://evil.example"}).status_code == 403


def test_signing_out_ends_the_session(dashboard):
    dashboard.login(STAFF["admin"], PASSWORD)

    response = dashboard.http.post("/dashboard/logout", data={"csrf_token": dashboard.csrf},
                                   follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/login?out=1"
    assert dashboard.http.get("/dashboard/_dash-layout").status_code == 401


def test_signing_out_needs_the_csrf_token_so_no_other_site_can_do_it(dashboard):
    dashboard.login(STAFF["admin"], PASSWORD)

    response = dashboard.http.post("/dashboard/logout", follow_redirects=False)

    assert response.status_code == 403
    assert dashboard.http.get("/dashboard/_dash-layout").status_code == 200


def test_a_password_change_ends_every_session_of_that_member(dashboard, memory_gateway):
    dashboard.login(STAFF["admin"], PASSWORD)
    member = next(s for s in memory_gateway.state.staff.values() if s.email == STAFF["admin"])

    memory_gateway.staff.change_password(member.workspace_id, member.id, "a whole new password")

    assert dashboard.http.get("/dashboard/_dash-layout").status_code == 401


def test_the_session_id_changes_at_sign_in(dashboard):
    dashboard.http.get("/dashboard/login")
    before = dashboard.csrf

    dashboard.login(STAFF["admin"], PASSWORD)

    assert dashboard.csrf != before


def test_an_auditor_cannot_write_even_by_forging_the_callback(dashboard, memory_gateway):
    dashboard.login(STAFF["auditor"], PASSWORD)
    workspace = next(iter(memory_gateway.state.workspaces))

    response = dashboard.fire("client-new-result", {
        "client-new-submit.n_clicks": 1, "client-new-name.value": "Sneaky Ltd"})

    assert response.status_code == 200
    assert "not allowed to manage clients" in response.text
    assert memory_gateway.state.clients_of(workspace) == []


def test_an_operator_cannot_change_settings_but_can_register_clients(dashboard, memory_gateway):
    dashboard.login(STAFF["operator"], PASSWORD)
    workspace = next(iter(memory_gateway.state.workspaces))

    settings = dashboard.fire("settings-save-result", {
        "settings-save.n_clicks": 1, "settings-base-url.value": "http://evil.example/v1"})
    client = dashboard.fire("client-new-result", {
        "client-new-submit.n_clicks": 1, "client-new-name.value": "Acme"})

    assert "not allowed to manage settings" in settings.text
    assert memory_gateway.state.workspace(workspace).provider_base_url != \
        "http://evil.example/v1"
    assert "Client Acme created." in client.text
    assert [c.name for c in memory_gateway.state.clients_of(workspace)] == ["Acme"]
