"""Acceptance: a new staff member onboards a client end to end in a real browser, and sees
the client's first call in the analytics within two seconds."""

from __future__ import annotations

import time

import openai
import pytest

from tests.dashboard.browser import PHONE, open_page
from tests.dashboard.conftest import PASSWORD, STAFF

pytestmark = pytest.mark.slow
SEEN_WITHIN_SECONDS = 2.0


def test_a_new_staff_member_onboards_a_client_and_sees_its_first_call(site, browser):
    web = open_page(browser, site.url)
    web.login(STAFF["admin"], PASSWORD)
    assert web.page.inner_text("#whoami").startswith(STAFF["admin"])
    web.screenshot("01-dashboard-empty")

    web.open("/clients")
    web.page.click("#client-new-toggle")
    web.page.fill("#client-new-name", "Acme Dental")
    web.page.fill("#client-new-email", "ops@acme.example")
    web.page.click("#client-new-submit")
    web.page.wait_for_selector("#client-new-notice:has-text('Client Acme Dental created.')")
    web.page.wait_for_selector("#clients-list >> text=Acme Dental")
    web.screenshot("02-clients")

    web.page.click("#client-new-next")
    web.settle()
    web.page.fill("#key-new-name", "whatsapp-bot")
    web.page.click("#key-new-submit")
    plaintext = web.page.wait_for_selector("#key-plaintext").inner_text()
    assert plaintext.startswith("llm_gw_")
    assert web.page.is_visible("#key-copy")
    web.page.wait_for_selector("#keys-list >> text=whatsapp-bot")
    web.screenshot("03-api-keys")

    web.page.click("#nav-limits")
    web.settle()
    web.page.wait_for_function("() => document.querySelector('#limit-markup')?.value === '0'")
    web.page.fill("#limit-max_requests", "1000")
    web.page.fill("#limit-max_credits", "50.00")
    web.page.fill("#limit-markup", "30")
    web.page.click("#limit-save")
    web.page.wait_for_selector("#limit-save-notice:has-text('Limits and markup saved.')")
    web.page.wait_for_selector("#limits-bars >> text=0 of 1,000")
    client = site.gateway.state.clients_of(site.gateway.state.staff_of(
        next(iter(site.gateway.state.workspaces)))[0].workspace_id)[0]
    assert client.limit_policy["max_requests"] == 1000
    assert str(client.markup_percent) == "30"

    web.page.click("#nav-analytics")
    web.settle()
    web.page.wait_for_selector("#analytics-empty")
    with openai.OpenAI(base_url=f"{site.url}/v1", api_key=plaintext, max_retries=0) as sdk:
        reply = sdk.chat.completions.create(
            model="sim-model", messages=[{"role": "user", "content": "Hello from n8n"}])
    answered = time.monotonic()
    web.page.wait_for_function(
        "() => document.querySelector('#analytics-kpi-requests')?.textContent === '1'",
        timeout=SEEN_WITHIN_SECONDS * 1000)
    seen_after = time.monotonic() - answered

    assert reply.usage.total_tokens > 0
    assert seen_after < SEEN_WITHIN_SECONDS
    web.page.wait_for_selector("#analytics-usage .main-svg")
    assert web.page.inner_text("#analytics-kpi-tokens") == f"{reply.usage.total_tokens:,}"
    web.screenshot("04-analytics")

    web.page.click("#nav-home")
    web.settle()
    web.page.wait_for_selector("#overview-latest-table >> text=Acme Dental")
    web.page.wait_for_selector("#overview-chart .main-svg")
    web.screenshot("05-dashboard")

    web.page.click("#nav-limits")
    web.settle()
    web.page.wait_for_selector("#limits-bars >> text=1 of 1,000")
    web.screenshot("06-rate-limits")

    for path, name in [("/settings/general", "07-settings-general"),
                       ("/settings/models", "08-settings-models"),
                       (f"/clients/{client.id}", "09-client")]:
        web.open(path)
        web.screenshot(name)

    assert web.problems == []


def test_every_page_renders_at_phone_width_without_errors(site, browser):
    client = site.gateway.clients.register(next(iter(site.gateway.state.workspaces)), "Acme")
    web = open_page(browser, site.url, PHONE)
    web.login(STAFF["operator"], PASSWORD)

    for path in ["/", "/clients", f"/clients/{client.id}", "/keys", "/limits", "/analytics",
                 "/settings/general", "/settings/models"]:
        web.open(path)
        width = web.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways: {width}px"
        web.screenshot("phone" + path.replace(str(client.id), "client").replace("/", "-")
                       .rstrip("-"))

    assert web.problems == []
