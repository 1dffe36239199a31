"""The audit over the admin API, after real traffic, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tests.audit.test_audit_replay import _close_current_cycle, mixed_traffic

pytestmark = pytest.mark.slow


@pytest.fixture
def audited(proxy, admin):
    """Thirteen usage events of one client: errors, a stream, a mid-cycle price change."""
    mixed_traffic(proxy)
    proxy.gateway.projections.catch_up()
    return proxy, admin, f"/admin/v1/audit/clients/{proxy.client_id}"


def test_the_statement_totals_equal_the_ledgers(audited):
    proxy, admin, base = audited
    events = proxy.usage_events()

    response = admin.get(f"{base}/statement")

    statement = response.json()
    assert response.status_code == 200, response.text
    assert statement["events"] == len(events) == 13
    assert statement["total"]["provider_cost"] == str(sum(e.provider_cost for e in events))
    assert statement["total"]["billed_cost"] == str(sum(e.billed_cost for e in events))
    assert statement["discrepancies"] == []
    assert len(statement["digest"]) == 64


def test_the_statement_downloads_as_a_csv_attachment(audited):
    proxy, admin, base = audited
    events = proxy.usage_events()

    response = admin.get(f"{base}/statement.csv")

    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert f"statement-{proxy.client_id}-" in response.headers["content-disposition"]
    assert [r["group"] for r in rows][0] == "model" and rows[-1]["group"] == "total"
    assert Decimal(rows[-1]["billed_cost"]) == sum(e.billed_cost for e in events)


def test_a_named_cycle_and_an_explicit_period_give_the_same_totals(audited):
    proxy, admin, base = audited
    now = proxy.gateway.clock.now()
    label = now.strftime("%Y-%m")

    by_cycle = admin.get(f"{base}/statement", params={"cycle": label}).json()
    by_period = admin.get(f"{base}/statement", params={
        "from": f"{label}-01T00:00:00+00:00"}).json()

    assert by_cycle["total"] == by_period["total"]
    assert by_cycle["start"] == f"{label}-01T00:00:00+00:00"


def test_the_replay_and_the_read_models_reconcile(audited):
    _, admin, base = audited

    response = admin.get(f"{base}/reconciliation")

    result = response.json()
    assert response.status_code == 200, response.text
    assert result["agrees"] is True, result["differences"]
    assert result["compared"] == ["replay ↔ read model"]
    assert result["differences"] == []


def test_a_closed_cycle_verifies_intact_and_reconciles_with_its_statement(audited):
    proxy, admin, base = audited
    window = _close_current_cycle(proxy)

    verified = admin.get(f"{base}/verification").json()
    reconciled = admin.get(f"{base}/reconciliation", params={"cycle": window.label}).json()

    assert [(v["cycle"], v["intact"], v["actual_events"]) for v in verified] == [
        (window.label, True, 13)]
    assert "replay ↔ closed statement" in reconciled["compared"]
    assert reconciled["agrees"] is True, reconciled["differences"]


def test_a_client_without_closed_cycles_has_nothing_to_verify(audited):
    _, admin, base = audited

    assert admin.get(f"{base}/verification").json() == []
    assert admin.get(f"{base}/verification", params={"cycle": "2020-01"}).status_code == 404


@pytest.mark.parametrize("params, field", [({"cycle": "November"}, "cycle"),
                                           ({"from": "yesterday"}, "from")])
def test_a_malformed_period_is_a_422_naming_it(audited, params, field):
    _, admin, base = audited

    response = admin.get(f"{base}/statement", params=params)

    assert response.status_code == 422
    assert response.json()["error"]["param"] == field


@pytest.mark.parametrize("path", ["statement", "statement.csv", "reconciliation",
                                  "verification"])
def test_another_workspaces_token_gets_404(audited, path):
    proxy, admin, base = audited
    other = proxy.gateway.onboarding.execute("Agency B")
    token = proxy.gateway.workspaces.issue_admin_token(other.id, "b")

    response = admin.get(f"{base}/{path}", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 404
    assert str(proxy.client_id) in response.json()["error"]["message"]
