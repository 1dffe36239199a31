"""Two gateway processes on one PostgreSQL behave as one system."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from simulator import BackgroundSimulator
from tests.conftest import ADMIN_TOKEN, SECRET_KEY
from tests.e2e.servers import free_port, start_gateway, stop

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def two_gateways(make_gateway, postgres_url, tmp_path):
    gateway = make_gateway(postgres_url)
    simulator = BackgroundSimulator().start()
    gateway.workspaces.set_provider(WS, f"{simulator.base_url}/v1", 10, "sk-simulated-0001")
    client = gateway.clients.register(WS, "Acme")
    key = gateway.keys.issue(WS, client.id, "n8n")
    env = {"GATEWAY_DATABASE_URL": postgres_url, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
           "GATEWAY_SECRET_KEY": SECRET_KEY, "GATEWAY_DATA_DIR": str(tmp_path)}
    processes, urls = [], []
    try:
        for _ in range(2):
            port = free_port()
            processes.append(start_gateway(tmp_path, port, env))
            urls.append(f"http://127.0.0.1:{port}")
        yield gateway, client, key, urls
    finally:
        for process in processes:
            stop(process)
        simulator.stop()


async def _burst(urls: list[str], key: str, count: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=count)
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:
        return await asyncio.gather(*(
            http.post(f"{urls[n % len(urls)]}/v1/chat/completions",
                      headers={"Authorization": f"Bearer {key}"},
                      json={"model": "gpt-4o-mini",
                            "messages": [{"role": "user", "content": f"call {n}"}]})
            for n in range(count)))


def test_a_limit_of_100_admits_exactly_100_of_400_requests_across_two_processes(two_gateways):
    gateway, client, key, urls = two_gateways
    gateway.clients.set_limits(WS, client.id, {"max_requests": 100})
    time.sleep(0.5)  # both processes follow the management log every 200 ms

    responses = asyncio.run(_burst(urls, key.plaintext, 400))

    statuses = [r.status_code for r in responses]
    assert statuses.count(200) == 100
    assert statuses.count(429) == 300
    assert all(int(r.headers["retry-after"]) > 0 for r in responses if r.status_code == 429)
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 429} == {
        "requests_limit"}


def test_a_revoked_key_is_refused_by_both_processes_within_a_second(two_gateways):
    gateway, _, key, urls = two_gateways
    headers = {"Authorization": f"Bearer {key.plaintext}"}
    assert all(httpx.get(f"{url}/v1/models", headers=headers).status_code == 200
               for url in urls)

    gateway.keys.revoke(WS, key.key.id)
    revoked_at = time.monotonic()
    refused_after = {}
    while len(refused_after) < 2 and time.monotonic() - revoked_at < 5:
        for url in urls:
            if url not in refused_after and httpx.get(
                    f"{url}/v1/models", headers=headers).status_code == 401:
                refused_after[url] = time.monotonic() - revoked_at
        time.sleep(0.02)

    assert len(refused_after) == 2
    assert max(refused_after.values()) < 1.0


def test_a_stored_response_is_found_through_the_other_process(two_gateways):
    _, _, key, urls = two_gateways
    headers = {"Authorization": f"Bearer {key.plaintext}"}

    created = httpx.post(f"{urls[0]}/v1/responses", headers=headers,
                         json={"model": "gpt-4o-mini", "input": "hello"}, timeout=30).json()
    fetched = httpx.get(f"{urls[1]}/v1/responses/{created['id']}", headers=headers, timeout=30)

    assert fetched.status_code == 200
    assert fetched.json()["id"] == created["id"]


def _leads(url: str) -> dict:
    return httpx.get(f"{url}/readyz", timeout=5).json()["leads"]


def test_one_process_leads_and_the_other_takes_over_within_ten_seconds_of_a_kill(
        make_gateway, postgres_url, tmp_path):
    env = {"GATEWAY_DATABASE_URL": postgres_url, "GATEWAY_ADMIN_TOKEN": ADMIN_TOKEN,
           "GATEWAY_SECRET_KEY": SECRET_KEY, "GATEWAY_DATA_DIR": str(tmp_path)}
    make_gateway(postgres_url)  # creates the schema and the default workspace
    ports = [free_port(), free_port()]
    processes = {port: start_gateway(tmp_path, port, env) for port in ports}
    try:
        deadline = time.monotonic() + 10
        while True:
            leads = {port: _leads(f"http://127.0.0.1:{port}") for port in ports}
            leaders = [p for p in ports if leads[p]["jobs"] and leads[p]["projections"]]
            if leaders or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        [leader] = leaders
        [follower] = [p for p in ports if p != leader]
        assert not leads[follower]["jobs"] and not leads[follower]["projections"]

        processes[leader].kill()  # kill -9: its sessions end, and its locks with them
        killed_at = time.monotonic()
        while not (_leads(f"http://127.0.0.1:{follower}")["jobs"]
                   and _leads(f"http://127.0.0.1:{follower}")["projections"]):
            assert time.monotonic() - killed_at < 10, "no takeover within 10 s"
            time.sleep(0.2)
    finally:
        for process in processes.values():
            stop(process)
