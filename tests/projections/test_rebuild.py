"""A rebuild from the first event gives exactly the tables that were built live."""

import random
from datetime import timedelta
from uuid import UUID

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from infrastructure.projection_leadership import SoleLeader
from infrastructure.projection_runner import ProjectionRunner
from projections.registry import all_projections
from tests.projections.usage_events import dump, store, traffic


def live_runner(gateway, batch_size):
    return ProjectionRunner(gateway.read_models,
                            {"management": gateway.management, "ledger": gateway.ledger},
                            all_projections(), SoleLeader(), batch_size=batch_size)


def management_history(gateway, rng):
    """Clients, keys and prices changing while traffic flows."""
    client = gateway.clients.register(WS, f"Client {rng.randint(0, 999)}", "a@b.io")
    key = gateway.keys.issue(WS, client.id, "n8n").key
    gateway.clients.set_markup(WS, client.id, str(rng.randint(0, 40)))
    gateway.keys.set_expiry(WS, key.id, gateway.clock.now() + timedelta(days=9))
    gateway.models.configure(WS, "gpt-4o", None, f"2.{rng.randint(10, 99)}", "10.00")


def test_rebuilding_each_projection_gives_the_tables_built_live(gateway):
    rng = random.Random(3)
    events = traffic(1200, workspaces=(WS, UUID(int=77)))
    live = live_runner(gateway, batch_size=37)  # batch boundaries unlike the rebuild's 500
    position = 0
    while position < len(events):
        size = rng.choice((1, 5, 60, 250))
        store(gateway, events[position:position + size])
        position += size
        if rng.random() < 0.2:
            management_history(gateway, rng)
        live.catch_up()
    projections = {p.name: p for p in all_projections()}
    built_live = {table: dump(gateway.read_models, table)
                  for p in projections.values() for table in p.tables}
    assert len(built_live["rm_request_log"]) == 1200

    for name, projection in projections.items():
        gateway.projections.rebuild([name])

        for table in projection.tables:
            assert dump(gateway.read_models, table) == built_live[table], (name, table)


def test_a_rebuild_repairs_a_damaged_view(gateway):
    store(gateway, traffic(200))
    gateway.projections.catch_up()
    before = dump(gateway.read_models, "rm_key_usage")
    with gateway.read_models.transaction() as cursor:
        cursor.execute("UPDATE rm_key_usage SET requests = requests + 1000")

    replayed = gateway.projections.rebuild(["key_usage_v1"])

    assert replayed == 200
    assert dump(gateway.read_models, "rm_key_usage") == before


def test_a_rebuild_reports_its_progress_up_to_every_event(gateway):
    store(gateway, traffic(1100))
    seen = []

    gateway.projections.rebuild(["request_log_v1"], lambda done, total: seen.append((done, total)))

    assert seen[-1] == (1100, 1100)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
