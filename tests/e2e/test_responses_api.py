"""The Responses API through the gateway, as n8n's OpenAI node calls it."""

from __future__ import annotations

import openai
import pytest

pytestmark = pytest.mark.slow


def test_a_response_is_created_and_its_usage_recorded(proxy):
    response = proxy.sdk().responses.create(model="sim-model", input="Write a haiku")

    [event] = proxy.usage_events()
    assert response.output_text
    assert (event.endpoint, event.status, event.response_id) == ("responses", 200, response.id)
    assert (event.prompt_tokens, event.completion_tokens) == (response.usage.input_tokens,
                                                              response.usage.output_tokens)
    assert event.provider_cost > 0


def test_a_streamed_response_is_relayed_event_by_event_and_its_usage_recorded(proxy):
    with proxy.sdk().responses.create(model="sim-model", input="Stream please",
                                      stream=True) as stream:
        kinds = [event.type for event in stream]

    [event] = proxy.usage_events()
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"
    assert kinds.count("response.output_text.delta") == event.completion_tokens
    assert event.stream is True and event.usage_source == "provider"
    assert event.response_id is not None


def test_the_creating_client_can_retrieve_list_and_delete_its_response(proxy):
    sdk = proxy.sdk()
    created = sdk.responses.create(model="sim-model", input="Remember me")

    fetched = sdk.responses.retrieve(created.id)
    items = sdk.responses.input_items.list(created.id)
    sdk.responses.delete(created.id)

    assert fetched.id == created.id
    assert len(items.data) == 1
    assert [e.endpoint for e in proxy.usage_events()] == [
        "responses", "responses.retrieve", "responses.input_items", "responses.delete"]


def test_another_client_gets_404_for_the_first_clients_response(proxy):
    from domain.ids import DEFAULT_WORKSPACE_ID as WS

    created = proxy.sdk().responses.create(model="sim-model", input="Private")
    other_client = proxy.gateway.clients.register(WS, "Globex")
    other_key = proxy.gateway.keys.issue(WS, other_client.id, "k").plaintext

    with pytest.raises(openai.NotFoundError):
        proxy.sdk(key=other_key).responses.retrieve(created.id)
    with pytest.raises(openai.NotFoundError):
        proxy.sdk(key=other_key).responses.delete(created.id)
    assert proxy.sdk().responses.retrieve(created.id).id == created.id


def test_responses_usage_reaches_the_read_models(proxy):
    from domain.ids import DEFAULT_WORKSPACE_ID as WS
    from projections.queries.requests import recent_requests

    created = proxy.sdk().responses.create(model="sim-model", input="Count me")
    proxy.gateway.projections.catch_up()

    [logged] = recent_requests(proxy.gateway.read_models, WS, limit=5)
    assert (logged.endpoint, logged.prompt_tokens, logged.completion_tokens) == (
        "responses", created.usage.input_tokens, created.usage.output_tokens)
    assert logged.provider_cost > 0
