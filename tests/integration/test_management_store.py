"""The management contract on SQLite and PostgreSQL: events stored, read back, survive."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest

from domain.errors import Conflict
from domain.ids import DEFAULT_WORKSPACE_ID as WS
from infrastructure.database_url import DatabaseUrl


def every_change(gateway) -> dict[str, str]:
    """Makes each change of the management scope once; returns secrets to look for."""
    client = gateway.clients.register(WS, "Acme", "ops@acme.io", "Acme Inc", "+49 30 1234")
    gateway.clients.update_profile(WS, client.id, phone="+49 30 9999")
    gateway.clients.change_status(WS, client.id, "suspended", "unpaid")
    gateway.clients.set_limits(WS, client.id, {"cycle": "weekly", "anchor_day": 1,
                                               "timezone": "Europe/Berlin",
                                               "max_requests": 100, "max_credits": "12.50"})
    gateway.clients.set_markup(WS, client.id, "20")
    issued = gateway.keys.issue(WS, client.id, "n8n")
    regenerated = gateway.keys.regenerate(WS, issued.key.id, grace_seconds=60)
    gateway.keys.set_expiry(WS, issued.key.id, gateway.clock.now() + timedelta(days=30))
    gateway.keys.revoke(WS, issued.key.id, "rotated")
    gateway.models.configure(WS, "gpt-4o-mini", input_per_million="0.20")
    gateway.models.configure(WS, "gpt-4o", enabled=False)
    gateway.workspaces.set_provider(WS, "http://127.0.0.1:8090/v1", 30,
                                    "sk-provider-secret-XYZW")
    gateway.workspaces.rename(WS, "Renamed agency")
    gateway.staff.add(WS, "auditor@agency.io", "a long password", "auditor")
    return {"key": issued.plaintext.split("_")[-1],
            "regenerated": regenerated.plaintext.split("_")[-1],
            "provider": "sk-provider-secret-XYZW"}


EXPECTED_TOPICS = {
    "llm_gateway:Client.Registered", "llm_gateway:Client.ProfileUpdated",
    "llm_gateway:Client.StatusChanged", "llm_gateway:Client.LimitPolicySet",
    "llm_gateway:Client.MarkupSet", "llm_gateway:ApiKey.Issued",
    "llm_gateway:ApiKey.Regenerated", "llm_gateway:ApiKey.ExpirySet",
    "llm_gateway:ApiKey.Revoked", "llm_gateway:CatalogModel.PriceChanged",
    "llm_gateway:CatalogModel.Disabled", "llm_gateway:Workspace.ProviderSettingsChanged",
    "llm_gateway:Workspace.Renamed", "llm_gateway:StaffMember.Added",
    "llm_gateway:Workspace.Created", "llm_gateway:Workspace.AdminTokenIssued",
    "llm_gateway:CatalogModel.Added",
}


def test_every_change_is_a_stored_event_that_reads_back(gateway):
    every_change(gateway)

    notifications = gateway.management.recorder.select_notifications(start=1, limit=10_000)
    events = [gateway.management.mapper.to_domain_event(n) for n in notifications]

    assert {n.topic for n in notifications} == EXPECTED_TOPICS
    assert [n.id for n in notifications] == sorted(n.id for n in notifications)
    limits = [e for e in events if type(e).__qualname__ == "Client.LimitPolicySet"]
    assert limits[0].policy["max_credits"] == "12.50"


def test_state_survives_a_restart(gateway, make_gateway, database_url):
    every_change(gateway)
    before = gateway.state
    gateway.close()

    restarted = make_gateway(database_url)

    after = restarted.state
    assert after.position == before.position
    client = after.clients_of(WS)[0]
    assert (client.status, client.phone, str(client.markup_percent)) == (
        "suspended", "+49 30 9999", "20")
    assert after.workspace(WS).name == "Renamed agency"
    assert [k.revoked for k in after.keys_of(WS, client.id)] == [True]
    assert after.model(WS, "gpt-4o").enabled is False


def _all_stored_bytes(gateway) -> bytes:
    url: DatabaseUrl = gateway.database
    if url.backend == "sqlite":
        gateway.close()
        return b"".join(p.read_bytes() for p in url.sqlite_path.parent.glob(
            url.sqlite_path.name + "*"))
    with psycopg.connect(url.psycopg_conninfo()) as connection:
        tables = [r[0] for r in connection.execute(
            "select tablename from pg_tables where schemaname = 'public'")]
        return b"".join(
            str(row).encode() for table in tables
            for row in connection.execute(f'select * from "{table}"'))  # noqa: S608


def test_no_plaintext_gateway_or_provider_key_is_stored(gateway):
    secrets = every_change(gateway)

    stored = _all_stored_bytes(gateway)

    assert len(stored) > 1000
    for name, secret in secrets.items():
        assert secret.encode() not in stored, f"plaintext {name} found in the database"


def test_a_staff_email_taken_through_another_gateway_is_a_conflict(gateway, make_gateway,
                                                                  database_url):
    second = make_gateway(database_url)
    gateway.staff.add(WS, "race@agency.io", "a long password", "admin")

    with pytest.raises(Conflict):
        second.staff.add(WS, "race@agency.io", "a long password", "admin")
    second.follower.catch_up()
    assert [s.email for s in second.state.staff_of(WS)].count("race@agency.io") == 1
