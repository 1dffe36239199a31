"""A token of workspace B gets 404 for every resource of workspace A."""

from __future__ import annotations

import pytest

from domain.ids import DEFAULT_WORKSPACE_ID as WS


@pytest.fixture
def resources_of_a(gateway):
    client = gateway.clients.register(WS, "Acme")
    key = gateway.keys.issue(WS, client.id, "n8n")
    gateway.models.configure(WS, "private-model", True, "1", "2")
    return {"client": client.id, "key": key.key.id}


@pytest.fixture
def token_of_b(gateway):
    other = gateway.onboarding.execute("Agency B")
    return gateway.workspaces.issue_admin_token(other.id, "b")


ENDPOINTS = [
    ("get", "/admin/v1/clients/{client}", None),
    ("patch", "/admin/v1/clients/{client}", {"name": "Hijacked"}),
    ("post", "/admin/v1/clients/{client}/status", {"status": "suspended"}),
    ("put", "/admin/v1/clients/{client}/limits", {"max_requests": 1}),
    ("put", "/admin/v1/clients/{client}/markup", {"markup_percent": 1}),
    ("get", "/admin/v1/clients/{client}/keys", None),
    ("post", "/admin/v1/clients/{client}/keys", {"name": "stolen"}),
    ("get", "/admin/v1/keys/{key}", None),
    ("post", "/admin/v1/keys/{key}/regenerate", None),
    ("post", "/admin/v1/keys/{key}/revoke", None),
    ("put", "/admin/v1/keys/{key}/expiry", {"expires_at": None}),
    ("get", "/admin/v1/models/private-model", None),
]


@pytest.mark.parametrize("method, path, body", ENDPOINTS)
def test_workspace_b_gets_404_for_each_resource_of_workspace_a(admin, resources_of_a,
                                                               token_of_b, method, path, body):
    headers = {"Authorization": f"Bearer {token_of_b}"}

    response = admin.request(method, path.format(**resources_of_a), json=body, headers=headers)

    assert response.status_code == 404, response.text


def test_workspace_b_lists_none_of_workspace_a(admin, resources_of_a, token_of_b):
    headers = {"Authorization": f"Bearer {token_of_b}"}

    clients = admin.get("/admin/v1/clients", headers=headers).json()
    staff = admin.get("/admin/v1/staff", headers=headers).json()
    provider = admin.get("/admin/v1/settings/provider", headers=headers).json()
    models = admin.get("/admin/v1/models", headers=headers).json()

    assert clients == [] and staff == []
    assert provider["api_key_set"] is False
    assert "private-model" not in [m["id"] for m in models]
    assert admin.get("/admin/v1/clients").json()[0]["name"] == "Acme"
