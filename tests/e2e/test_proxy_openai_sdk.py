"""The proxy through the official openai SDK, against a running gateway, on both backends."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import httpx
import openai
import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS

pytestmark = pytest.mark.slow
MESSAGES = [{"role": "user", "content": "Say hello to the gateway"}]


def test_chat_completion_is_relayed_and_its_usage_recorded_with_cost(proxy):
    reply = proxy.sdk().chat.completions.with_raw_response.create(
        model="sim-model", messages=MESSAGES)
    completion = reply.parse()

    [event] = proxy.usage_events()
    usage = completion.usage
    assert completion.choices[0].message.content
    assert reply.headers["x-request-id"] == event.request_id
    assert (event.prompt_tokens, event.completion_tokens) == (usage.prompt_tokens,
                                                              usage.completion_tokens)
    assert (event.status, event.outcome, event.usage_source) == (200, "ok", "provider")
    assert event.provider_cost == Decimal(usage.prompt_tokens * 1 + usage.completion_tokens * 2) \
        / 1_000_000
    assert event.price_version == 1 and event.client_id == proxy.client_id


def test_the_gateway_key_is_replaced_by_the_provider_key(proxy):
    proxy.sdk().chat.completions.create(model="sim-model", messages=MESSAGES)

    seen = httpx.get(f"{proxy.simulator.base_url}/_sim/requests").json()

    assert seen[-1]["authorization"] == "Bearer sk-simulated-0001"
    assert "llm_gw_" not in str(seen)


def test_stream_without_include_usage_hides_the_usage_chunk_but_records_usage(proxy):
    chunks = list(proxy.sdk().chat.completions.create(
        model="sim-model", messages=MESSAGES, stream=True))

    [event] = proxy.usage_events()
    assert all(chunk.usage is None for chunk in chunks)
    assert all(chunk.choices for chunk in chunks)
    assert event.completion_tokens > 0 and event.usage_source == "provider"
    assert event.stream is True and event.ttft_ms is not None


def test_stream_with_include_usage_passes_the_usage_chunk(proxy):
    chunks = list(proxy.sdk().chat.completions.create(
        model="sim-model", messages=MESSAGES, stream=True,
        stream_options={"include_usage": True}))

    [event] = proxy.usage_events()
    usage = chunks[-1].usage
    assert chunks[-1].choices == []
    assert (usage.prompt_tokens, usage.completion_tokens) == (event.prompt_tokens,
                                                              event.completion_tokens)


def test_completions_stream_and_not(proxy):
    sdk = proxy.sdk()

    text = sdk.completions.create(model="sim-model", prompt="Once upon a time")
    streamed = list(sdk.completions.create(model="sim-model", prompt="Once", stream=True))

    events = proxy.usage_events()
    assert text.choices[0].text and streamed
    assert [e.endpoint for e in events] == ["completions", "completions"]
    assert events[0].completion_tokens == text.usage.completion_tokens


def test_embeddings(proxy):
    result = proxy.sdk().embeddings.create(model="sim-model", input=["one", "two"])

    [event] = proxy.usage_events()
    assert len(result.data) == 2
    assert event.prompt_tokens == result.usage.prompt_tokens and event.completion_tokens == 0


def test_models_lists_only_enabled_models_of_the_workspace(proxy):
    proxy.gateway.models.configure(WS, "gpt-4o", enabled=False)
    sdk = proxy.sdk()

    listed = [m.id for m in sdk.models.list()]
    one = sdk.models.retrieve("sim-model")

    assert "sim-model" in listed and "gpt-4o" not in listed
    assert one.id == "sim-model"
    with pytest.raises(openai.NotFoundError):
        sdk.models.retrieve("gpt-4o")


def test_missing_and_malformed_keys_are_authentication_errors(proxy):
    for key in ("sk-not-a-gateway-key", proxy.key[:-3] + "xyz"):
        with pytest.raises(openai.AuthenticationError) as raised:
            proxy.sdk(key=key).chat.completions.create(model="sim-model", messages=MESSAGES)
        assert raised.value.code == "invalid_api_key"
    assert proxy.usage_events() == []


def test_revoked_and_expired_keys_are_refused(proxy):
    key = proxy.gateway.state.keys_of(WS, proxy.client_id)[0]
    soon = proxy.gateway.keys.issue(WS, proxy.client_id, "short-lived",
                                    proxy.gateway.clock.now() + timedelta(seconds=1))
    proxy.gateway.keys.revoke(WS, key.id)
    time.sleep(1.1)

    with pytest.raises(openai.AuthenticationError) as revoked:
        proxy.sdk().chat.completions.create(model="sim-model", messages=MESSAGES)
    with pytest.raises(openai.AuthenticationError) as expired:
        proxy.sdk(key=soon.plaintext).chat.completions.create(model="sim-model",
                                                              messages=MESSAGES)

    assert "revoked" in revoked.value.message
    assert "expired" in expired.value.message


def test_suspended_client_is_forbidden_and_the_attempt_recorded(proxy):
    proxy.gateway.clients.change_status(WS, proxy.client_id, "suspended", "unpaid")

    with pytest.raises(openai.PermissionDeniedError):
        proxy.sdk().chat.completions.create(model="sim-model", messages=MESSAGES)

    [event] = proxy.usage_events()
    assert (event.status, event.outcome) == (403, "rejected")


def test_unknown_model_is_not_found(proxy):
    with pytest.raises(openai.NotFoundError) as raised:
        proxy.sdk().chat.completions.create(model="no-such-model", messages=MESSAGES)

    assert raised.value.code == "model_not_found"


def test_malformed_json_and_missing_fields_are_bad_requests(proxy):
    headers = {"Authorization": f"Bearer {proxy.key}", "content-type": "application/json"}
    url = f"{proxy.running.url}/v1/chat/completions"

    broken = httpx.post(url, content=b"{not json", headers=headers)
    no_messages = httpx.post(url, json={"model": "sim-model"}, headers=headers)
    with pytest.raises(openai.BadRequestError):
        proxy.sdk().chat.completions.create(model="", messages=MESSAGES)

    assert broken.status_code == no_messages.status_code == 400
    assert broken.json()["error"]["code"] == "invalid_json"
    assert no_messages.json()["error"]["param"] == "messages"


def test_body_over_the_limit_is_413(proxy):
    limit = proxy.gateway.settings.max_body_bytes

    response = httpx.post(f"{proxy.running.url}/v1/chat/completions",
                          content=b"x" * (limit + 1),
                          headers={"Authorization": f"Bearer {proxy.key}"})

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_upstream_errors_pass_through_with_their_status(proxy):
    sdk = proxy.sdk()

    with pytest.raises(openai.RateLimitError):
        sdk.chat.completions.create(model="sim-model", messages=[
            {"role": "user", "content": "[[sim:error=429]]"}])
    with pytest.raises(openai.InternalServerError):
        sdk.chat.completions.create(model="sim-model", messages=[
            {"role": "user", "content": "[[sim:error=500]]"}])

    events = proxy.usage_events()
    assert [(e.status, e.outcome) for e in events] == [(429, "upstream_error"),
                                                       (500, "upstream_error")]


def test_unconfigured_provider_is_503_telling_staff_what_to_set(proxy):
    other = proxy.gateway.onboarding.execute("New agency")
    client = proxy.gateway.clients.register(other.id, "Fresh")
    key = proxy.gateway.keys.issue(other.id, client.id, "k").plaintext

    with pytest.raises(openai.InternalServerError) as raised:
        proxy.sdk(key=key).chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)

    assert raised.value.status_code == 503
    assert "/admin/v1/settings/provider" in raised.value.message


def test_upstream_timeout_is_504(proxy):
    proxy.gateway.workspaces.set_provider(WS, timeout_seconds=0.5)

    with pytest.raises(openai.InternalServerError) as raised:
        proxy.sdk().chat.completions.create(model="sim-model", messages=[
            {"role": "user", "content": "[[sim:hang]]"}])

    assert raised.value.status_code == 504
    [event] = proxy.usage_events()
    assert event.outcome == "timeout"


def test_unreachable_upstream_is_502(proxy):
    from tests.e2e.servers import free_port

    proxy.gateway.workspaces.set_provider(WS, f"http://127.0.0.1:{free_port()}/v1")

    with pytest.raises(openai.InternalServerError) as raised:
        proxy.sdk().chat.completions.create(model="sim-model", messages=MESSAGES)

    assert raised.value.status_code == 502
    assert proxy.usage_events()[0].outcome == "unreachable"


def test_upstream_dying_mid_stream_gives_a_clean_error_and_a_recorded_event(proxy):
    stream = proxy.sdk().chat.completions.create(model="sim-model", stream=True, messages=[
        {"role": "user", "content": "[[sim:reset]] [[sim:tokens=50]]"}])

    with pytest.raises(openai.APIError):
        list(stream)

    [event] = proxy.usage_events()
    assert (event.status, event.outcome) == (502, "upstream_error")
    assert event.usage_source == "estimated" and event.prompt_tokens > 0


def test_a_client_that_gives_up_waiting_gets_a_timeout_and_the_call_is_recorded(proxy):
    with pytest.raises(openai.APITimeoutError):
        proxy.sdk(timeout=0.5).chat.completions.create(model="sim-model", messages=[
            {"role": "user", "content": "[[sim:delay_ms=1500]]"}])

    [event] = proxy.usage_events(at_least=1, timeout=5)
    assert event.endpoint == "chat.completions"


def test_malformed_upstream_json_is_a_clean_502_with_one_estimated_event(proxy):
    with pytest.raises(openai.InternalServerError) as raised:
        proxy.sdk().chat.completions.create(model="sim-model", messages=[
            {"role": "user", "content": "[[sim:malformed]] hello there"}])

    [event] = proxy.usage_events()
    assert raised.value.status_code == 502
    assert (event.status, event.outcome, event.usage_source) == (502, "upstream_error",
                                                                  "estimated")
    assert event.prompt_tokens > 0
