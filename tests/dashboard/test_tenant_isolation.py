"""Staff of workspace B see nothing of workspace A on any screen, even when they send A's
ids in place of their own, and cannot change anything of A's."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as A
from tests.dashboard.conftest import PASSWORD, STAFF, add_staff
from tests.dashboard.http_session import DashboardClient
from tests.projections.usage_events import store, usage

SECRET_NAME = "Acme Secret Dental"


@pytest.fixture
def two_agencies(gateway):
    """Workspace A has a client with a key, limits, a model and traffic; B has staff only."""
    b = gateway.onboarding.execute("Agency B").id
    add_staff(gateway, b, prefix="b-")
    gateway.workspaces.set_provider(A, api_key="sk-workspace-a-XYZW")
    client = gateway.clients.register(A, SECRET_NAME, "boss@acme-secret.example")
    gateway.clients.set_limits(A, client.id, {"max_requests": 777_001})
    key = gateway.keys.issue(A, client.id, "secret-bot").key
    gateway.models.configure(A, "secret-model", True, "3.33", "4.44")
    now = gateway.clock.now()
    store(gateway, [usage(now - timedelta(minutes=5 + i), request_id=f"req_secret_{i}",
                          client_id=client.id, key_id=key.id, model="secret-model",
                          provider_cost=Decimal("123.456789"), billed_cost=Decimal("987.654321"))
                    for i in range(3)])
    gateway.projections.catch_up()
    markers = [SECRET_NAME, str(client.id), key.public_id, "secret-model", "XYZW",
               "req_secret", "777,001", "777001", "987.65", "acme-secret"]
    with DashboardClient(gateway) as dashboard:
        assert dashboard.login("b-" + STAFF["admin"], PASSWORD).status_code == 303
        yield dashboard, client, key, markers


def shows_nothing_of_a(response, markers: list[str]) -> None:
    assert response.status_code in (200, 204), response.text
    leaked = [m for m in markers if m in response.text]
    assert leaked == []


PAGES = ["/", "/clients", "/clients/{client}", "/keys?client={client}",
         "/limits?client={client}", "/analytics", "/settings/general", "/settings/models"]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_of_workspace_b_shows_workspace_a(two_agencies, path):
    dashboard, client, _, markers = two_agencies
    pathname, _, search = path.format(client=client.id).partition("?")

    response = dashboard.fire("page.children", {"url.pathname": f"/dashboard{pathname}",
                                                "url.search": f"?{search}" if search else ""})

    shows_nothing_of_a(response, markers)


def test_usage_views_of_workspace_b_count_nothing_of_a(two_agencies):
    dashboard, client, _, markers = two_agencies
    a_client = str(client.id)

    for output, values in [
        ("overview-kpis", {"overview-range.value": "90d"}),
        ("clients-table", {"clients-status.value": "all"}),
        ("client-usage", {"client-range.value": "90d", "client-id.data": a_client}),
        ("analytics-body", {"analytics-range.value": "90d", "analytics-client.value": "all"}),
        ("analytics-body", {"analytics-range.value": "90d", "analytics-client.value": a_client}),
        ("analytics-download", {"analytics-export.n_clicks": 1,
                                "analytics-range.value": "90d", "analytics-client.value": "all"}),
        ("keys-table", {"keys-client.value": a_client}),
        ("key-target", {"keys-client.value": a_client}),
        ("limit-cycle", {"limits-client.value": a_client}),
        ("limits-cycle", {"limits-client.value": a_client}),
        ("model-history", {"model-history-choice.value": "secret-model"}),
    ]:
        shows_nothing_of_a(dashboard.fire(output, values), markers)


def test_workspace_b_cannot_change_anything_of_workspace_a(two_agencies, gateway):
    dashboard, client, key, _ = two_agencies
    a_client = str(client.id)

    answers = [dashboard.fire(output, values).text for output, values in [
        ("client-save-result", {"client-save.n_clicks": 1, "client-id.data": a_client,
                                "client-name.value": "Renamed by B"}),
        ("client-status-result", {"client-status-submit.n_clicks": 1,
                                  "client-id.data": a_client,
                                  "client-status.value": "suspended"}),
        ("key-new-result", {"key-new-submit.n_clicks": 1, "keys-client.value": a_client,
                            "key-new-name.value": "planted"}),
        ("key-change-result", {"key-revoke.n_clicks": 1, "key-target.value": str(key.id)}),
        ("limit-save-result", {"limit-save.n_clicks": 1, "limits-client.value": a_client,
                               "limit-cycle.value": "daily", "limit-anchor_day.value": 1,
                               "limit-timezone.value": "UTC", "limit-markup.value": "0"}),
    ]]

    assert all("not found" in answer for answer in answers), answers
    after = gateway.state.client(A, client.id)
    assert (after.name, after.status, after.limit_policy["max_requests"]) == (
        SECRET_NAME, "active", 777_001)
    assert [k.name for k in gateway.state.keys_of(A, client.id)] == ["secret-bot"]
    assert not gateway.state.key(A, key.id).revoked
