"""The admin API over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from uuid import uuid4

import pytest


def create_client(admin, name="Acme", **extra):
    response = admin.post("/admin/v1/clients", json={"name": name, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def test_creating_a_client_answers_201_and_lists_it(admin):
    created = create_client(admin, email="ops@acme.io", company="Acme Inc")

    listed = admin.get("/admin/v1/clients").json()

    assert [c["id"] for c in listed] == [created["id"]]
    assert created["status"] == "active"


def test_clients_can_be_searched_and_filtered_by_status(admin):
    acme = create_client(admin, "Acme", company="Rockets")
    create_client(admin, "Globex", email="hank@globex.com")
    admin.post(f"/admin/v1/clients/{acme['id']}/status", json={"status": "suspended"})

    by_company = admin.get("/admin/v1/clients", params={"search": "rock"}).json()
    suspended = admin.get("/admin/v1/clients", params={"status": "suspended"}).json()
    active = admin.get("/admin/v1/clients", params={"status": "active"}).json()

    assert [c["name"] for c in by_company] == ["Acme"]
    assert [c["name"] for c in suspended] == ["Acme"]
    assert [c["name"] for c in active] == ["Globex"]


def test_patch_changes_only_the_fields_sent(admin):
    client = create_client(admin, email="ops@acme.io", phone="+1 555")

    patched = admin.patch(f"/admin/v1/clients/{client['id']}", json={"phone": "+1 666"}).json()

    assert (patched["email"], patched["phone"]) == ("ops@acme.io", "+1 666")


@pytest.mark.parametrize("body, field", [
    ({"name": ""}, "name"),
    ({"name": "Acme", "email": "not-an-email"}, "email"),
    ({"name": "Acme", "colour": "red"}, "colour"),
])
def test_invalid_client_input_is_a_422_naming_the_field(admin, body, field):
    response = admin.post("/admin/v1/clients", json=body)

    assert response.status_code == 422
    assert response.json()["error"]["param"] == field


def test_limits_and_markup_are_set_and_invalid_ones_refused(admin):
    client = create_client(admin)

    limits = admin.put(f"/admin/v1/clients/{client['id']}/limits", json={
        "cycle": "monthly", "anchor_day": 15, "timezone": "America/Sao_Paulo",
        "max_requests": 1000, "max_tokens": 2_000_000, "max_credits": "49.99",
        "max_sessions": 200})
    markup = admin.put(f"/admin/v1/clients/{client['id']}/markup", json={"markup_percent": 30})
    bad_zone = admin.put(f"/admin/v1/clients/{client['id']}/limits",
                         json={"timezone": "Nowhere/Land"})
    bad_credits = admin.put(f"/admin/v1/clients/{client['id']}/limits",
                            json={"max_credits": "-5"})

    assert limits.status_code == 200
    assert limits.json()["limits"]["max_credits"] == "49.99"
    assert markup.json()["markup_percent"] == "30"
    assert (bad_zone.status_code, bad_zone.json()["error"]["param"]) == (422, "timezone")
    assert (bad_credits.status_code, bad_credits.json()["error"]["param"]) == (422,
                                                                               "max_credits")


def test_key_lifecycle_and_illegal_transitions(admin):
    client = create_client(admin)

    issued = admin.post(f"/admin/v1/clients/{client['id']}/keys", json={"name": "n8n"})
    key_id = issued.json()["id"]
    listed = admin.get(f"/admin/v1/clients/{client['id']}/keys").json()
    regenerated = admin.post(f"/admin/v1/keys/{key_id}/regenerate", json={"grace_seconds": 60})
    revoked = admin.post(f"/admin/v1/keys/{key_id}/revoke", json={"reason": "leaked"})
    revoked_again = admin.post(f"/admin/v1/keys/{key_id}/revoke")
    regenerate_revoked = admin.post(f"/admin/v1/keys/{key_id}/regenerate")

    assert issued.status_code == 201
    assert issued.json()["key"].startswith(issued.json()["prefix"] + "_")
    assert "key" not in listed[0]
    assert regenerated.json()["key"] != issued.json()["key"]
    assert regenerated.json()["prefix"] == issued.json()["prefix"]
    assert revoked.json()["status"] == "revoked"
    assert revoked_again.status_code == 409
    assert regenerate_revoked.status_code == 409


def test_models_can_be_listed_priced_and_disabled(admin):
    models = admin.get("/admin/v1/models").json()

    changed = admin.put("/admin/v1/models/gpt-4o-mini",
                        json={"input_per_million": "0.2", "enabled": False})
    added = admin.put("/admin/v1/models/my-org/llama-3", json={
        "input_per_million": "0.1", "output_per_million": "0.3"})

    assert "gpt-4o-mini" in [m["id"] for m in models]
    assert changed.json()["enabled"] is False
    assert [p["version"] for p in changed.json()["price_history"]] == [1, 2]
    assert added.json()["id"] == "my-org/llama-3"
    assert admin.get("/admin/v1/models/my-org/llama-3").status_code == 200
    assert admin.get("/admin/v1/models/unknown-model").status_code == 404


def test_a_price_correction_is_listed_and_bad_ones_are_refused(admin):
    path = "/admin/v1/models/gpt-4o-mini/price-corrections"
    body = {"version": 1, "input_per_million": "0.10", "output_per_million": "0.60",
            "reason": "the list price was lower"}

    made = admin.post(path, json=body)
    unknown_version = admin.post(path, json=body | {"version": 99})
    no_reason = admin.post(path, json=body | {"reason": ""})
    negative = admin.post(path, json=body | {"input_per_million": "-1"})
    unknown_model = admin.post("/admin/v1/models/nope/price-corrections", json=body)

    assert made.status_code == 201, made.text
    assert made.json()["corrections"][0]["ref"] == "gpt-4o-mini v1 #1"
    assert made.json()["price"]["version"] == 2
    assert made.json()["price"]["input_per_million"] == "0.10"
    assert unknown_version.status_code == 404
    assert no_reason.status_code == negative.status_code == 422
    assert unknown_model.status_code == 404


def test_provider_key_is_write_only(admin):
    put = admin.put("/admin/v1/settings/provider", json={
        "base_url": "http://127.0.0.1:8090/v1", "api_key": "sk-secret-value-1234"})
    got = admin.get("/admin/v1/settings/provider")

    for response in (put, got):
        assert "sk-secret-value" not in response.text
        assert response.json()["api_key_last4"] == "1234"
    assert got.json()["base_url"] == "http://127.0.0.1:8090/v1"


def test_staff_are_created_and_listed_without_password_hashes(admin):
    created = admin.post("/admin/v1/staff", json={
        "email": "op@agency.io", "password": "a long password", "role": "operator"})
    duplicate = admin.post("/admin/v1/staff", json={
        "email": "OP@agency.io", "password": "a long password", "role": "admin"})

    listed = admin.get("/admin/v1/staff")

    assert created.status_code == 201
    assert duplicate.status_code == 409
    assert "op@agency.io" in [s["email"] for s in listed.json()]
    assert "argon2" not in listed.text


def test_unknown_ids_are_404(admin):
    unknown = uuid4()

    assert admin.get(f"/admin/v1/clients/{unknown}").status_code == 404
    assert admin.post(f"/admin/v1/keys/{unknown}/revoke").status_code == 404
    assert admin.get("/admin/v1/clients/not-a-uuid").status_code == 422


def test_requests_without_a_valid_admin_token_are_401(admin):
    del admin.headers["Authorization"]

    missing = admin.get("/admin/v1/clients")
    wrong = admin.get("/admin/v1/clients", headers={"Authorization": "Bearer nope"})

    assert missing.status_code == wrong.status_code == 401
    assert missing.json()["error"]["code"] == "missing_admin_token"
