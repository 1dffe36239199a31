"""Use cases over in-memory persistence."""

from uuid import uuid4

import pytest

from domain.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound
from domain.ids import DEFAULT_WORKSPACE_ID as WS
from domain.key_format import hash_secret, parse_key


def test_issued_key_is_shown_once_and_stored_only_as_a_hash(memory_gateway):
    client = memory_gateway.clients.register(WS, "Acme")

    issued = memory_gateway.keys.issue(WS, client.id, "n8n")

    public_id, secret = parse_key(issued.plaintext)
    stored = memory_gateway.state.keys_by_public_id[public_id]
    assert len(secret) >= 32
    assert stored.secret_hash == hash_secret(secret)
    assert secret not in repr(vars(stored))


def test_another_workspace_cannot_touch_a_client(memory_gateway):
    other = memory_gateway.onboarding.execute("Other agency")
    client = memory_gateway.clients.register(WS, "Acme")

    with pytest.raises(NotFound):
        memory_gateway.clients.change_status(other.id, client.id, "suspended")
    with pytest.raises(NotFound):
        memory_gateway.keys.issue(other.id, client.id, "stolen")
    assert memory_gateway.state.client(other.id, client.id) is None


def test_provider_key_is_encrypted_and_only_its_last_four_characters_are_kept(memory_gateway):
    memory_gateway.workspaces.set_provider(WS, api_key="sk-live-abcdefgh9876")

    workspace = memory_gateway.state.workspace(WS)

    assert workspace.provider_key_last4 == "9876"
    assert "sk-live" not in workspace.encrypted_provider_key
    assert memory_gateway.cipher.decrypt(workspace.encrypted_provider_key) == \
        "sk-live-abcdefgh9876"


def test_staff_sign_in_with_the_right_password_only(memory_gateway):
    memory_gateway.staff.add(WS, "Ops@Agency.io", "correct horse battery", "operator")

    member = memory_gateway.staff.authenticate("ops@agency.io", "correct horse battery")

    assert member.role == "operator"
    with pytest.raises(AuthenticationFailed):
        memory_gateway.staff.authenticate("ops@agency.io", "wrong password!")
    with pytest.raises(AuthenticationFailed):
        memory_gateway.staff.authenticate("nobody@agency.io", "correct horse battery")


def test_a_staff_email_is_unique_across_workspaces(memory_gateway):
    other = memory_gateway.onboarding.execute("Other agency")
    memory_gateway.staff.add(WS, "ops@agency.io", "correct horse battery", "admin")

    with pytest.raises(Conflict):
        memory_gateway.staff.add(other.id, "OPS@agency.io", "another password", "admin")


def test_a_new_model_needs_prices(memory_gateway):
    with pytest.raises(InvalidInput):
        memory_gateway.models.configure(WS, "my-model", enabled=True)


def test_setting_the_same_price_again_records_no_new_version(memory_gateway):
    before = memory_gateway.state.model(WS, "gpt-4o-mini").current_price

    model = memory_gateway.models.configure(WS, "gpt-4o-mini", input_per_million="0.15")

    assert model.current_price == before


def test_a_partial_profile_update_keeps_the_other_fields(memory_gateway):
    client = memory_gateway.clients.register(WS, "Acme", "ops@acme.io", "Acme Inc", "+1 555")

    updated = memory_gateway.clients.update_profile(WS, client.id, phone="+1 666")

    assert (updated.name, updated.email, updated.company, updated.phone) == (
        "Acme", "ops@acme.io", "Acme Inc", "+1 666")


def test_unknown_client_is_not_found(memory_gateway):
    with pytest.raises(NotFound):
        memory_gateway.clients.set_markup(WS, uuid4(), "10")
