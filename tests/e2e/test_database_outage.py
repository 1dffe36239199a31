"""PostgreSQL goes away under load: fast 503s, no 200 without an event, recovery by itself."""

from __future__ import annotations

import time

import httpx
import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from simulator import BackgroundSimulator
from tests.conftest import ADMIN_TOKEN, SECRET_KEY
from tests.e2e.servers import free_port, start_gateway, stop
from tests.e2e.tcp_cut import CuttableForwarder

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_requests_fail_fast_during_an_outage_and_recover_within_five_seconds(
        make_gateway, postgres_url, tmp_path):
    gateway = make_gateway(postgres_url)
    simulator = BackgroundSimulator().start()
    gateway.workspaces.set_provider(WS, f"{simulator.base_url}/v1", 10, "sk-simulated-0001")
    client = gateway.clients.register(WS, "Acme")
    key = gateway.keys.issue(WS, client.id, "n8n").plaintext
    forwarder = CuttableForwarder().start()
    through_forwarder = postgres_url.replace(":5432/", f":{forwarder.port}/")
    env = {"GATEWAY_DATABASE_URL": through_forwarder, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
           "GATEWAY_SECRET_KEY": SECRET_KEY, "GATEWAY_DATA_DIR": str(tmp_path)}
    port = free_port()
    process = start_gateway(tmp_path, port, env)
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
    headers = {"Authorization": f"Bearer {key}"}
    answers: list[tuple[int, str, float]] = []

    def call(http: httpx.Client) -> int:
        started = time.monotonic()
        response = http.post(f"http://127.0.0.1:{port}/v1/chat/completions", json=body,
                             headers=headers)
        answers.append((response.status_code, response.headers.get("x-request-id", ""),
                        time.monotonic() - started))
        if response.status_code == 503:
            assert response.json()["error"]["code"] == "ledger_unavailable"
        return response.status_code

    try:
        with httpx.Client(timeout=30) as http:
            assert [call(http) for _ in range(5)] == [200] * 5
            forwarder.cut()
            during = [call(http) for _ in range(10)]
            forwarder.restore()
            restored_at = time.monotonic()
            while call(http) != 200:
                assert time.monotonic() - restored_at < 5, "no recovery within 5 s"
                time.sleep(0.1)
            recovered_after = time.monotonic() - restored_at
    finally:
        stop(process)
        forwarder.close()
        simulator.stop()

    stored = {gateway.ledger.mapper.to_domain_event(n).request_id for n in
              gateway.ledger.recorder.select_notifications(start=1, limit=100_000)}
    assert 503 in during and 200 not in during
    assert max(seconds for status, _, seconds in answers if status == 503) < 3
    assert all(request_id in stored for status, request_id, _ in answers if status == 200)
    assert recovered_after < 5
