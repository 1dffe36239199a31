"""A running gateway with a simulator upstream and three staff members, and a browser."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, sync_playwright

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from infrastructure.bootstrap import Gateway
from simulator import BackgroundSimulator, SimulatorConfig
from tests.dashboard.browser import CHROMIUM_ARGS, chromium_path
from tests.e2e.running_gateway import RunningGateway, run_gateway

PASSWORD = "correct horse battery staple"
STAFF = {role: f"{role}@agency.example" for role in ("admin", "operator", "auditor")}


@dataclass
class Site:
    running: RunningGateway
    simulator: BackgroundSimulator

    @property
    def gateway(self) -> Gateway:
        return self.running.gateway

    @property
    def url(self) -> str:
        return self.running.url


def add_staff(gateway: Gateway, workspace=WS, prefix: str = "") -> None:
    for role, email in STAFF.items():
        gateway.staff.add(workspace, prefix + email, PASSWORD, role)


@pytest.fixture
def site(make_gateway, sqlite_url) -> Iterator[Site]:
    gateway = make_gateway(sqlite_url)
    simulator = BackgroundSimulator(SimulatorConfig()).start()
    gateway.workspaces.set_provider(WS, f"{simulator.base_url}/v1", 5, "sk-simulated-0001")
    gateway.models.configure(WS, "sim-model", True, "1.00", "2.00", "0.50")
    add_staff(gateway)
    running = run_gateway(gateway)
    yield Site(running, simulator)
    running.stop()
    simulator.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(),
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
