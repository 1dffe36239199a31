"""kill -9 under load: nothing a client received in full is missing from the ledger."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from infrastructure.audit_wiring import replay_statement
from projections.queries.cycle_usage import usage_for_cycle
from simulator import BackgroundSimulator, SimulatorConfig
from tests.conftest import ADMIN_TOKEN, SECRET_KEY
from tests.e2e.servers import free_port, start_gateway, stop

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _client_loop(url: str, key: str, stop_at: threading.Event, n: int) -> list[tuple[str, bool]]:
    """Requests until the gateway dies; (request id, whether the whole answer arrived)."""
    seen: list[tuple[str, bool]] = []
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(timeout=10) as http:
        while not stop_at.is_set():
            stream = n % 2 == 0
            body = {"model": "gpt-4o-mini", "stream": stream,
                    "messages": [{"role": "user", "content": f"worker {n} [[sim:tokens=20]]"}]}
            try:
                with http.stream("POST", f"{url}/v1/chat/completions", json=body,
                                 headers=headers) as response:
                    request_id = response.headers.get("x-request-id", "")
                    text = "".join(response.iter_text())
                    whole = response.status_code == 200 and (
                        text.rstrip().endswith("data: [DONE]") if stream
                        else text.rstrip().endswith("}"))
                    seen.append((request_id, whole))
            except httpx.HTTPError:
                seen.append(("", False))  # cut off, or refused while the gateway was down
                time.sleep(0.05)
    return seen


def test_after_kill_9_every_complete_answer_has_exactly_one_event(make_gateway, postgres_url,
                                                                   tmp_path):
    gateway = make_gateway(postgres_url)
    simulator = BackgroundSimulator(SimulatorConfig(tokens_per_second=400)).start()
    gateway.workspaces.set_provider(WS, f"{simulator.base_url}/v1", 10, "sk-simulated-0001")
    client = gateway.clients.register(WS, "Acme")
    key = gateway.keys.issue(WS, client.id, "n8n").plaintext
    env = {"GATEWAY_DATABASE_URL": postgres_url, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
           "GATEWAY_SECRET_KEY": SECRET_KEY, "GATEWAY_DATA_DIR": str(tmp_path)}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_gateway(tmp_path, port, env)
    stop_at = threading.Event()
    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            loops = [pool.submit(_client_loop, url, key, stop_at, n) for n in range(12)]
            time.sleep(3)
            process.kill()  # SIGKILL: no shutdown, no flush
            process.wait()
            time.sleep(0.5)
            stop_at.set()
            seen = [entry for loop in loops for entry in loop.result()]
        process = start_gateway(tmp_path, port, env)  # the restarted gateway
        complete = {request_id for request_id, whole in seen if whole}
        notifications = gateway.ledger.recorder.select_notifications(start=1, limit=1_000_000)
        events = [gateway.ledger.mapper.to_domain_event(n) for n in notifications]
        stored = [e.request_id for e in events]

        assert len(complete) > 50
        assert complete <= set(stored)
        assert len(stored) == len(set(stored))

        deadline = time.monotonic() + 15
        while any(s.lag for s in gateway.projections.status()):
            assert time.monotonic() < deadline, "projections did not converge"
            time.sleep(0.2)
        now = gateway.clock.now()
        replayed = replay_statement(gateway).execute(client.id, now - timedelta(days=1),
                                                      now + timedelta(minutes=1), WS)
        window = events[0].cycle_start
        counted = usage_for_cycle(gateway.read_models, WS, client.id, window)
        assert (counted.requests, counted.prompt_tokens, counted.completion_tokens,
                counted.billed_cost) == (replayed.admitted, replayed.total.prompt_tokens,
                                         replayed.total.completion_tokens,
                                         replayed.total.billed_cost)
    finally:
        stop_at.set()
        stop(process)
        simulator.stop()
