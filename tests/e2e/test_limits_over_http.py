"""Client limits through the SDK: 429s with reasons, headers, and rejection events."""

from __future__ import annotations

import openai
import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS

pytestmark = pytest.mark.slow
HELLO = [{"role": "user", "content": "hello"}]


def test_the_request_limit_gives_429_with_retry_after_and_a_rejection_event(proxy):
    proxy.gateway.clients.set_limits(WS, proxy.client_id, {"max_requests": 2})
    sdk = proxy.sdk()

    first = sdk.chat.completions.with_raw_response.create(model="sim-model", messages=HELLO)
    sdk.chat.completions.create(model="sim-model", messages=HELLO)
    with pytest.raises(openai.RateLimitError) as raised:
        sdk.chat.completions.create(model="sim-model", messages=HELLO)

    response = raised.value.response
    assert first.headers["x-ratelimit-limit-requests"] == "2"
    assert first.headers["x-ratelimit-remaining-requests"] == "1"
    assert raised.value.code == "requests_limit"
    assert response.json()["error"]["type"] == "rate_limit_exceeded"
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["x-ratelimit-remaining-requests"] == "0"
    rejected = [e for e in proxy.usage_events() if e.outcome == "rejected"]
    assert [(e.status, e.limit_name, e.limit_detail) for e in rejected] == [
        (429, "requests_limit", {"limit": "2", "used": "2"})]


def test_the_credit_limit_stops_a_client_once_its_spend_reaches_it(proxy):
    proxy.gateway.clients.set_limits(WS, proxy.client_id, {"max_credits": "0.00001"})
    sdk = proxy.sdk()

    sdk.chat.completions.create(model="sim-model", messages=HELLO)  # costs ~$0.000037
    with pytest.raises(openai.RateLimitError) as raised:
        for _ in range(5):
            sdk.chat.completions.create(model="sim-model", messages=HELLO)

    assert raised.value.code == "credits_limit"
    assert "x-ratelimit-remaining-credits" in raised.value.response.headers


def test_a_new_whatsapp_session_beyond_the_maximum_is_refused(proxy):
    proxy.gateway.clients.set_limits(WS, proxy.client_id, {"max_sessions": 1})
    sdk = proxy.sdk()

    sdk.chat.completions.create(model="sim-model", messages=HELLO, user="wa:+1")
    sdk.chat.completions.create(model="sim-model", messages=HELLO, user="wa:+1")
    with pytest.raises(openai.RateLimitError) as raised:
        sdk.chat.completions.create(model="sim-model", messages=HELLO, user="wa:+2")

    assert raised.value.code == "sessions_limit"


def test_a_looping_n8n_execution_is_stopped(proxy):
    proxy.gateway.clients.set_limits(WS, proxy.client_id, {"max_calls_per_execution": 3})
    sdk = proxy.sdk()
    loop = {"X-N8N-Execution-Id": "exec-99"}

    for _ in range(3):
        sdk.chat.completions.create(model="sim-model", messages=HELLO, extra_headers=loop)
    with pytest.raises(openai.RateLimitError) as raised:
        sdk.chat.completions.create(model="sim-model", messages=HELLO, extra_headers=loop)
    sdk.chat.completions.create(model="sim-model", messages=HELLO,
                                extra_headers={"X-N8N-Execution-Id": "exec-100"})

    assert raised.value.code == "execution_limit"


def test_limits_off_means_no_rate_limit_headers_and_no_counting(proxy):
    proxy.gateway.clients.set_limits(WS, proxy.client_id, {"max_requests": 1,
                                                           "enforce": False})
    sdk = proxy.sdk()

    replies = [sdk.chat.completions.with_raw_response.create(model="sim-model",
                                                             messages=HELLO)
               for _ in range(3)]

    assert all("x-ratelimit-limit-requests" not in r.headers for r in replies)
