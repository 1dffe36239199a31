"""Simulators on free ports in background threads, and OpenAI SDK clients pointed at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import openai
import pytest

from simulator import BackgroundSimulator, SimulatorConfig

StartSimulator = Callable[..., BackgroundSimulator]
ClientFor = Callable[..., openai.OpenAI]


@pytest.fixture
def start_simulator() -> Iterator[StartSimulator]:
    started: list[BackgroundSimulator] = []

    def start(config: SimulatorConfig | None = None) -> BackgroundSimulator:
        simulator = BackgroundSimulator(config).start()
        started.append(simulator)
        return simulator

    yield start
    for simulator in started:
        simulator.stop()


@pytest.fixture
def simulator(start_simulator: StartSimulator) -> BackgroundSimulator:
    return start_simulator()


@pytest.fixture
def client_for() -> Iterator[ClientFor]:
    clients: list[openai.OpenAI] = []

    def connect(
        simulator: BackgroundSimulator, api_key: str = "x", timeout: float = 10
    ) -> openai.OpenAI:
        client = openai.OpenAI(
            base_url=f"{simulator.base_url}/v1", api_key=api_key, timeout=timeout, max_retries=0
        )
        clients.append(client)
        return client

    yield connect
    for client in clients:
        client.close()


@pytest.fixture
def client(simulator: BackgroundSimulator, client_for: ClientFor) -> openai.OpenAI:
    return client_for(simulator)
