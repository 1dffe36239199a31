"""A memory:// gateway (unit tests, demos) keeps working read models of its own."""

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from projections.queries import search_clients, usage_totals
from tests.projections.usage_events import T0, store, traffic


def test_a_memory_gateway_projects_into_an_in_memory_database(memory_gateway):
    memory_gateway.clients.register(WS, "Acme")
    events = traffic(80)
    store(memory_gateway, events)

    memory_gateway.projections.catch_up()

    assert [c.name for c in search_clients(memory_gateway.read_models, WS)] == ["Acme"]
    totals = usage_totals(memory_gateway.read_models, WS, T0, events[-1].timestamp)
    assert totals.requests == len(events)
    assert all(s.lag == 0 and s.leader for s in memory_gateway.projections.status())
