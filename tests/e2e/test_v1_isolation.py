"""A key of one tenant never sees another's models, responses or prices through /v1."""

from __future__ import annotations

import openai
import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS

pytestmark = pytest.mark.slow
HELLO = [{"role": "user", "content": "hi"}]


@pytest.fixture
def other_tenant(proxy):
    agency = proxy.gateway.onboarding.execute("Agency B")
    proxy.gateway.workspaces.set_provider(agency.id, f"{proxy.simulator.base_url}/v1", 5,
                                          "sk-simulated-0002")
    client = proxy.gateway.clients.register(agency.id, "Globex")
    return proxy.sdk(key=proxy.gateway.keys.issue(agency.id, client.id, "k").plaintext)


def test_models_of_another_workspace_are_invisible(proxy, other_tenant):
    proxy.gateway.models.configure(WS, "a-private-model", True, "1", "2")

    listed = [m.id for m in other_tenant.models.list()]

    assert "a-private-model" not in listed and "sim-model" not in listed
    with pytest.raises(openai.NotFoundError):
        other_tenant.models.retrieve("a-private-model")
    with pytest.raises(openai.NotFoundError):
        other_tenant.chat.completions.create(model="a-private-model", messages=HELLO)


def test_responses_of_another_workspace_are_not_found(proxy, other_tenant):
    created = proxy.sdk().responses.create(model="sim-model", input="mine")

    for call in (other_tenant.responses.retrieve, other_tenant.responses.delete,
                 other_tenant.responses.cancel, other_tenant.responses.input_items.list):
        with pytest.raises(openai.NotFoundError):
            call(created.id)


def test_each_tenants_usage_is_billed_to_itself_only(proxy, other_tenant):
    other_tenant.chat.completions.create(model="gpt-4o-mini", messages=HELLO)
    proxy.sdk().chat.completions.create(model="sim-model", messages=HELLO)

    events = proxy.usage_events(at_least=2)
    assert {(e.workspace_id == WS, e.model) for e in events} == {
        (False, "gpt-4o-mini"), (True, "sim-model")}


def test_a_non_streamed_connection_reset_is_a_clean_502_with_an_event(proxy):
    with pytest.raises(openai.InternalServerError) as raised:
        proxy.sdk().chat.completions.create(model="sim-model", messages=[
            {"role": "user", "content": "[[sim:reset]]"}])

    [event] = proxy.usage_events()
    assert raised.value.status_code == 502
    assert (event.status, event.outcome) == (502, "upstream_error")
