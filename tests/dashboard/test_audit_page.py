"""The Audit page: auditors and admins replay and reconcile a client's cycle and download
its statement; operators neither see nor reach it, even by forging a callback."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import openai
import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from tests.dashboard.browser import open_page
from tests.dashboard.conftest import PASSWORD, STAFF, add_staff
from tests.dashboard.http_session import DashboardClient
from tests.projections.usage_events import store, usage

pytestmark = pytest.mark.slow


def test_an_auditor_replays_a_cycle_and_sees_the_ledgers_totals(site, browser, tmp_path):
    client = site.gateway.clients.register(WS, "Acme Dental")
    key = site.gateway.keys.issue(WS, client.id, "whatsapp-bot").plaintext
    with openai.OpenAI(base_url=f"{site.url}/v1", api_key=key, max_retries=0) as sdk:
        for n in range(3):
            sdk.chat.completions.create(model="sim-model",
                                        messages=[{"role": "user", "content": f"hello {n}"}])
    site.gateway.projections.catch_up()
    ledger = site.gateway.ledger
    events = [ledger.mapper.to_domain_event(n)
              for n in ledger.recorder.select_notifications(start=1, limit=100)]
    billed = sum(e.billed_cost for e in events)
    web = open_page(browser, site.url)
    web.login(STAFF["auditor"], PASSWORD)

    web.page.click("#nav-audit")
    web.settle()
    web.page.click("#audit-run-replay")
    web.page.wait_for_selector("#audit-statement")
    web.page.click("#audit-run-reconcile")
    web.page.wait_for_selector("#audit-agrees")
    with web.page.expect_download() as download:
        web.page.click("#audit-export")
    saved = tmp_path / "statement.csv"
    download.value.save_as(saved)
    web.screenshot("10-audit")

    assert web.page.inner_text("#audit-kpi-events") == "3"
    assert web.page.inner_text("#audit-kpi-billed") == f"${billed:,f}"
    assert "sim-model" in web.page.inner_text("#audit-by-model")
    assert "whatsapp-bot" in web.page.inner_text("#audit-by-key")
    assert len(web.page.inner_text("#audit-digest")) == 64
    assert web.page.is_visible("#audit-no-discrepancies")
    assert download.value.suggested_filename == f"statement-{client.id}-" \
        f"{site.gateway.clock.now():%Y-%m}-01.csv"
    assert saved.read_text().splitlines()[-1].endswith(str(billed))
    assert web.problems == []


def test_an_operator_has_no_audit_link_and_is_refused_the_page(site, browser):
    site.gateway.clients.register(WS, "Acme Dental")
    web = open_page(browser, site.url)
    web.login(STAFF["operator"], PASSWORD)

    links = web.page.inner_text("#nav")
    web.open("/audit")
    web.screenshot("11-audit-refused-to-operator")

    assert "Usage analytics" in links and "Audit" not in links
    assert "may not open the Audit page" in web.page.inner_text("#not-allowed")
    assert not web.page.is_visible("#audit-run-replay")
    assert web.problems == []


@pytest.fixture
def audited_workspace(memory_gateway):
    """A client of the default workspace with two requests, and staff in two workspaces."""
    add_staff(memory_gateway)
    other = memory_gateway.onboarding.execute("Agency B").id
    add_staff(memory_gateway, other, prefix="b-")
    client = memory_gateway.clients.register(WS, "Acme Secret Dental")
    now = memory_gateway.clock.now()
    store(memory_gateway, [usage(now - timedelta(minutes=m), client_id=client.id,
                                 request_id=f"req_secret_{m}", price_version=None,
                                 provider_cost=Decimal(0), billed_cost=Decimal("987.654321"))
                           for m in (1, 2)])
    return memory_gateway, client


def fire_replay(dashboard, client) -> object:
    return dashboard.fire("audit-replay", {"audit-run-replay.n_clicks": 1,
                                           "audit-client.value": str(client.id)})


def test_an_operator_forging_the_audit_callbacks_gets_nothing(audited_workspace):
    gateway, client = audited_workspace
    with DashboardClient(gateway) as dashboard:
        dashboard.login(STAFF["operator"], PASSWORD)

        replay = fire_replay(dashboard, client)
        export = dashboard.fire("audit-download", {"audit-export.n_clicks": 1,
                                                   "audit-client.value": str(client.id)})

    assert "may not open the Audit page" in replay.text
    assert "req_secret" not in replay.text and "987.65" not in replay.text
    assert export.status_code == 204


def test_an_admin_of_another_workspace_cannot_audit_its_clients(audited_workspace):
    gateway, client = audited_workspace
    with DashboardClient(gateway) as dashboard:
        dashboard.login("b-" + STAFF["admin"], PASSWORD)

        replay = fire_replay(dashboard, client)
        cycles = dashboard.fire("audit-cycle", {"audit-client.value": str(client.id)})

    assert "not found in this workspace" in replay.text
    assert "987.65" not in replay.text and "req_secret" not in replay.text
    assert cycles.json()["response"]["audit-cycle"]["options"] == []


def test_an_admin_sees_a_recorded_cost_that_does_not_recompute(audited_workspace):
    gateway, client = audited_workspace
    with DashboardClient(gateway) as dashboard:
        dashboard.login(STAFF["admin"], PASSWORD)

        replay = fire_replay(dashboard, client)

    assert replay.status_code == 200
    assert "audit-discrepancies" in replay.text
    assert "req_secret_1" in replay.text and "billed_cost" in replay.text
