"""A running gateway in front of the simulator, with a client and key ready to call it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import openai

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from simulator import BackgroundSimulator, SimulatorConfig
from tests.e2e.running_gateway import RunningGateway, run_gateway


@dataclass
class Setup:
    running: RunningGateway
    simulator: BackgroundSimulator
    client_id: object
    key: str
    sdks: list = field(default_factory=list)

    @property
    def gateway(self):
        return self.running.gateway

    def sdk(self, key: str | None = None, **options) -> openai.OpenAI:
        sdk = openai.OpenAI(base_url=f"{self.running.url}/v1", api_key=key or self.key,
                            max_retries=0, timeout=options.pop("timeout", 20), **options)
        self.sdks.append(sdk)
        return sdk

    def close(self) -> None:
        for sdk in self.sdks:
            sdk.close()
        self.running.stop()
        self.simulator.stop()

    def usage_events(self, at_least: int = 0, timeout: float = 5.0):
        """The ledger's events; waits for ``at_least`` of them, since an event of a client
        that hung up is stored after its response ended."""
        ledger = self.gateway.ledger
        deadline = time.monotonic() + timeout
        while True:
            notifications = ledger.recorder.select_notifications(start=1, limit=1_000_000)
            if len(notifications) >= at_least or time.monotonic() > deadline:
                return [ledger.mapper.to_domain_event(n) for n in notifications]
            time.sleep(0.05)


def setup_proxy(gateway, simulator_config: SimulatorConfig | None = None):
    simulator = BackgroundSimulator(simulator_config or SimulatorConfig()).start()
    gateway.workspaces.set_provider(WS, f"{simulator.base_url}/v1", 5, "sk-simulated-0001")
    gateway.models.configure(WS, "sim-model", True, "1.00", "2.00", "0.50")
    client = gateway.clients.register(WS, "Acme")
    key = gateway.keys.issue(WS, client.id, "n8n").plaintext
    running = run_gateway(gateway)
    return Setup(running, simulator, client.id, key)

