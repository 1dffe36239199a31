"""Usage accounting over many requests, partial streams, estimates and several processes."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import openai
import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from simulator import SimulatorConfig
from tests.e2e.proxy_fixtures import setup_proxy
from tests.e2e.running_gateway import run_gateway

pytestmark = pytest.mark.slow


def _one_request(proxy, sdk, n: int) -> tuple[str, int, int]:
    """One request of a mix; returns (kind, prompt tokens, completion tokens) seen."""
    kind = ("chat", "stream", "completion", "embedding", "error")[n % 5]
    content = f"request {n} " + ("[[sim:error=500]]" if kind == "error" else "")
    messages = [{"role": "user", "content": content}]
    if kind == "chat":
        usage = sdk.chat.completions.create(model="sim-model", messages=messages).usage
        return kind, usage.prompt_tokens, usage.completion_tokens
    if kind == "stream":
        chunks = list(sdk.chat.completions.create(
            model="sim-model", messages=messages, stream=True,
            stream_options={"include_usage": True}))
        return kind, chunks[-1].usage.prompt_tokens, chunks[-1].usage.completion_tokens
    if kind == "completion":
        usage = sdk.completions.create(model="sim-model", prompt=content).usage
        return kind, usage.prompt_tokens, usage.completion_tokens
    if kind == "embedding":
        usage = sdk.embeddings.create(model="sim-model", input=content).usage
        return kind, usage.prompt_tokens, 0
    with pytest.raises(openai.InternalServerError):
        sdk.chat.completions.create(model="sim-model", messages=messages)
    return kind, 0, 0


def test_a_thousand_mixed_requests_make_a_thousand_events_matching_what_clients_saw(proxy):
    sdk = proxy.sdk(timeout=60)

    with ThreadPoolExecutor(max_workers=16) as pool:
        seen = list(pool.map(lambda n: _one_request(proxy, sdk, n), range(1000)))

    events = proxy.usage_events(at_least=1000)
    assert len(events) == 1000
    assert len({e.request_id for e in events}) == 1000
    assert sum(e.prompt_tokens for e in events) == sum(s[1] for s in seen)
    assert sum(e.completion_tokens for e in events) == sum(s[2] for s in seen)
    assert sum(e.outcome == "upstream_error" for e in events) == 200
    assert sum(e.stream for e in events) == 200


def test_a_client_leaving_mid_stream_is_recorded_as_client_closed(gateway):
    setup = setup_proxy(gateway, SimulatorConfig(tokens_per_second=50))
    try:
        stream = setup.sdk().chat.completions.create(
            model="sim-model", stream=True,
            messages=[{"role": "user", "content": "[[sim:tokens=500]]"}])
        received = [next(stream) for _ in range(5)]
        stream.close()

        [event] = setup.usage_events(at_least=1)
    finally:
        setup.close()
    assert len(received) == 5
    assert (event.status, event.outcome) == (499, "client_closed")
    assert 0 < event.completion_tokens < 500
    assert event.latency_ms < 5000  # 500 tokens at 50/s would take 10 s


def test_usage_is_estimated_when_the_provider_sends_none(proxy):
    messages = [{"role": "user", "content": "[[sim:no_usage]] please estimate me"}]

    proxy.sdk().chat.completions.create(model="sim-model", messages=messages)
    list(proxy.sdk().chat.completions.create(model="sim-model", messages=messages,
                                             stream=True))

    events = proxy.usage_events()
    assert [e.usage_source for e in events] == ["estimated", "estimated"]
    assert all(e.prompt_tokens > 0 and e.completion_tokens > 0 for e in events)
    assert all(e.provider_cost > 0 for e in events)


def test_session_and_n8n_attribution_are_recorded(proxy):
    proxy.sdk().chat.completions.create(
        model="sim-model", messages=[{"role": "user", "content": "hi"}], user="wa:+4915",
        extra_headers={"X-N8N-Workflow-Id": "wf-7", "X-N8N-Execution-Id": "ex-42"})
    proxy.sdk().chat.completions.create(
        model="sim-model", messages=[{"role": "user", "content": "hi"}], user="ignored",
        extra_headers={"X-Session-Id": "wa:+4916"})

    first, second = proxy.usage_events()
    assert (first.session_id, first.n8n_workflow_id, first.n8n_execution_id) == (
        "wa:+4915", "wf-7", "ex-42")
    assert second.session_id == "wa:+4916"


def test_a_revoked_key_stops_working_within_a_second_in_another_process(proxy, make_gateway,
                                                                       database_url):
    other = run_gateway(make_gateway(database_url))
    try:
        headers = {"Authorization": f"Bearer {proxy.key}"}
        assert httpx.get(f"{other.url}/v1/models", headers=headers).status_code == 200
        key = proxy.gateway.state.keys_of(WS, proxy.client_id)[0]

        proxy.gateway.keys.revoke(WS, key.id)
        revoked_at = time.monotonic()
        while httpx.get(f"{other.url}/v1/models", headers=headers).status_code != 401:
            assert time.monotonic() - revoked_at < 1.0
            time.sleep(0.02)
    finally:
        other.stop()


def test_health_readiness_and_metrics(proxy):
    proxy.sdk().chat.completions.create(model="sim-model",
                                        messages=[{"role": "user", "content": "hi"}])

    health = httpx.get(f"{proxy.running.url}/healthz")
    ready = httpx.get(f"{proxy.running.url}/readyz")
    metrics = httpx.get(f"{proxy.running.url}/metrics").text

    assert health.status_code == ready.status_code == 200
    assert ready.json()["checks"] == {"management_log": True, "usage_ledger": True,
                                      "database": True}
    assert 'gateway_requests_total{endpoint="chat.completions",status="200"}' in metrics
    assert "gateway_usage_writer_batch_size_bucket" in metrics
