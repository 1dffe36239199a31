"""The page's scripts: plotly.js loads once, early, and only where there are charts; the
browser keeps its own string functions under Dash's polyfill."""

from __future__ import annotations

import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from tests.dashboard.browser import open_page
from tests.dashboard.conftest import PASSWORD, STAFF
from tests.projections.usage_events import store, usage

pytestmark = pytest.mark.slow
EVERY_CHART_DRAWN = """() => {
    const graphs = document.querySelectorAll("#page .dash-graph");
    return graphs.length > 0 && [...graphs].every(graph => graph.querySelector(".main-svg"));
}"""


@pytest.fixture
def watched(site, browser):
    gateway = site.gateway
    client = gateway.clients.register(WS, "Acme Dental")
    store(gateway, [usage(gateway.clock.now(), client_id=client.id, model="sim-model")])
    gateway.projections.catch_up()
    web = open_page(browser, site.url)
    loads = []
    web.page.on("request", lambda r: loads.append(r.url) if "plotly.min.js" in r.url else None)
    web.login(STAFF["admin"], PASSWORD)
    loads.clear()
    return web, loads


def test_a_page_with_charts_loads_plotly_once_and_draws_them(watched):
    web, loads = watched

    web.open("/analytics?range=24h")
    web.page.wait_for_function(EVERY_CHART_DRAWN)

    assert len(loads) == 1
    assert web.page.evaluate("() => typeof window.Plotly.newPlot") == "function"
    assert web.problems == []


def test_a_page_without_charts_does_not_load_plotly_until_one_with_charts_is_opened(watched):
    web, loads = watched

    web.open("/settings/general")
    assert loads == []
    web.page.click("#nav-home")
    web.page.wait_for_function(EVERY_CHART_DRAWN)

    assert len(loads) == 1
    assert web.problems == []


def test_string_functions_are_the_browsers_own_after_the_polyfill(watched):
    web, _ = watched

    web.open("/settings/general")

    # Since Unicode 6.3, U+180E is no white space: the browser's trim keeps it; the
    # polyfill's would strip it.
    assert web.page.evaluate("() => '\\u180e'.trim().length") == 1
    assert web.page.evaluate("() => parseInt('\\u180e7')") != 7
