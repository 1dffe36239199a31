"""rm_clients, rm_api_keys, rm_models and rm_model_prices follow the management events."""

import json
from datetime import timedelta
from decimal import Decimal

from domain.ids import DEFAULT_WORKSPACE_ID as WS
from projections.values import decimal_of, utc_of


def row(gateway, sql, **params):
    [found] = gateway.read_models.fetch_all(sql, params)
    return found


def test_a_client_row_follows_every_change_of_the_client(gateway):
    client = gateway.clients.register(WS, "Acme", "ops@acme.io", "Acme Corp", "+49 1")
    gateway.clients.update_profile(WS, client.id, name="Acme GmbH", phone="+49 2")
    gateway.clients.change_status(WS, client.id, "suspended", "unpaid invoice")
    gateway.clients.set_limits(WS, client.id, {"cycle": "weekly", "max_requests": 1000,
                                               "max_credits": "12.50"})
    gateway.clients.set_markup(WS, client.id, "17.5")

    gateway.projections.catch_up()

    found = row(gateway, "SELECT * FROM rm_clients WHERE id = :id", id=client.id)
    assert (found["workspace_id"], found["name"], found["email"], found["company"],
            found["phone"]) == (str(WS), "Acme GmbH", "ops@acme.io", "Acme Corp", "+49 2")
    assert (found["status"], found["status_reason"]) == ("suspended", "unpaid invoice")
    assert decimal_of(found["markup_percent"]) == Decimal("17.5")
    policy = json.loads(found["limit_policy"])
    assert (policy["cycle"], policy["max_requests"], policy["max_credits"]) == (
        "weekly", 1000, "12.50")
    assert utc_of(found["updated_at"]) > utc_of(found["created_at"])


def test_a_key_row_shows_its_life_but_never_its_secret(gateway):
    client = gateway.clients.register(WS, "Acme")
    issued = gateway.keys.issue(WS, client.id, "n8n")
    expires = gateway.clock.now() + timedelta(days=30)
    gateway.keys.regenerate(WS, issued.key.id, grace_seconds=60)
    gateway.keys.set_expiry(WS, issued.key.id, expires)
    gateway.keys.revoke(WS, issued.key.id, "leaked")

    gateway.projections.catch_up()

    found = row(gateway, "SELECT * FROM rm_api_keys WHERE id = :id", id=issued.key.id)
    assert (found["client_id"], found["public_id"], found["name"]) == (
        str(client.id), issued.key.public_id, "n8n")
    assert utc_of(found["expires_at"]) == expires
    assert found["regenerated_at"] is not None and found["revoked_at"] is not None
    secret = issued.plaintext.rsplit("_", 1)[1]
    assert secret not in json.dumps(found, default=str)


def test_a_model_row_has_its_switch_and_latest_price_and_the_history_keeps_every_price(gateway):
    gateway.models.configure(WS, "sim-model", True, "1.00", "2.00", "0.50")
    gateway.models.configure(WS, "sim-model", False, "1.25", "2.50", None)

    gateway.projections.catch_up()

    model = row(gateway, "SELECT * FROM rm_models WHERE workspace_id = :ws "
                         "AND model_id = 'sim-model'", ws=WS)
    assert bool(model["enabled"]) is False
    assert (decimal_of(model["input_per_million"]), decimal_of(model["output_per_million"]),
            model["cached_input_per_million"], model["price_version"]) == (
        Decimal("1.25"), Decimal("2.50"), None, 2)
    prices = gateway.read_models.fetch_all(
        "SELECT price_version, input_per_million FROM rm_model_prices "
        "WHERE workspace_id = :ws AND model_id = 'sim-model' ORDER BY price_version", {"ws": WS})
    assert [(p["price_version"], decimal_of(p["input_per_million"])) for p in prices] == [
        (1, Decimal("1.00")), (2, Decimal("1.25"))]


def test_the_default_catalog_of_a_new_workspace_is_listed(gateway):
    gateway.projections.catch_up()

    rows = gateway.read_models.fetch_all("SELECT model_id FROM rm_models WHERE workspace_id = :ws",
                                         {"ws": WS})

    assert {"gpt-4o", "gpt-4o-mini"} <= {r["model_id"] for r in rows}
