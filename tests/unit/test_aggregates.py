from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.api_key import ApiKey
from domain.catalog_model import CatalogModel
from domain.client import Client
from domain.errors import Conflict, InvalidInput, NotFound
from domain.limit_policy import LimitPolicy
from domain.workspace import Workspace

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
WS = uuid4()


def a_key() -> ApiKey:
    return ApiKey.issue(WS, uuid4(), "abcdefghijkl", "hash-1", "n8n", None, NOW)


def test_a_new_client_is_active_with_no_limits_and_no_markup():
    client = Client.register(WS, "Acme", "OPS@Acme.io")

    assert client.status == "active"
    assert client.email == "ops@acme.io"
    assert client.policy == LimitPolicy()
    assert client.markup_percent == 0


def test_changing_a_client_to_its_current_status_is_a_conflict():
    client = Client.register(WS, "Acme")
    client.change_status("suspended", "unpaid invoice")

    with pytest.raises(Conflict):
        client.change_status("suspended", None)
    assert client.status_reason == "unpaid invoice"


def test_markup_is_kept_exact():
    client = Client.register(WS, "Acme")

    client.set_markup("12.345")

    assert client.markup_percent == Decimal("12.345")


def test_revoking_a_key_twice_is_a_conflict():
    key = a_key()
    key.revoke("leaked", NOW)

    with pytest.raises(Conflict):
        key.revoke(None, NOW)


def test_a_revoked_key_cannot_be_regenerated():
    key = a_key()
    key.revoke(None, NOW)

    with pytest.raises(Conflict):
        key.regenerate("hash-2", 0, NOW)


def test_regenerating_with_grace_keeps_the_old_secret_until_the_grace_ends():
    key = a_key()

    key.regenerate("hash-2", 3600, NOW)

    assert key.secret_hash == "hash-2"
    assert key.previous_secret_hash == "hash-1"
    assert key.previous_valid_until == NOW + timedelta(hours=1)


def test_regenerating_without_grace_forgets_the_old_secret():
    key = a_key()

    key.regenerate("hash-2", 0, NOW)

    assert key.previous_secret_hash is None


def test_an_expiry_in_the_past_is_refused():
    with pytest.raises(InvalidInput):
        ApiKey.issue(WS, uuid4(), "abcdefghijkl", "h", "n8n", NOW - timedelta(seconds=1), NOW)


def test_a_price_change_is_appended_and_never_backdated():
    model = CatalogModel.add(WS, "gpt-4o-mini")
    model.change_price(Decimal("0.15"), Decimal("0.60"), None, NOW, NOW)
    model.change_price(Decimal("0.20"), Decimal("0.80"), None, NOW + timedelta(days=1), NOW)

    with pytest.raises(InvalidInput):
        model.change_price(Decimal(1), Decimal(1), None, NOW - timedelta(days=1), NOW)
    assert [p.version for p in model.prices] == [1, 2]
    assert model.price_at(NOW + timedelta(hours=1)).input_per_million == Decimal("0.15")


def test_a_price_correction_keeps_the_version_and_applies_from_now_only_if_latest():
    model = CatalogModel.add(WS, "gpt-4o-mini")
    model.change_price(Decimal("0.15"), Decimal("0.60"), None, NOW, NOW)
    later = NOW + timedelta(days=3)

    model.correct_price(1, Decimal("0.10"), Decimal("0.60"), None, "typo", later)

    [correction] = model.corrections
    assert (correction.ref, correction.price.version) == ("gpt-4o-mini v1 #1", 1)
    assert correction.price.effective_from == NOW  # what v1 should have cost, all along
    assert [(p.version, p.input_per_million, p.effective_from) for p in model.prices] == [
        (1, Decimal("0.15"), NOW), (2, Decimal("0.10"), later)]
    model.correct_price(1, Decimal("0.12"), Decimal("0.60"), None, "again", later)
    assert len(model.prices) == 2  # v1 is no longer the latest


@pytest.mark.parametrize("version, reason, error", [
    (7, "typo", NotFound), (1, "  ", InvalidInput), (1, "x" * 501, InvalidInput)])
def test_a_price_correction_needs_a_known_version_and_a_reason(version, reason, error):
    model = CatalogModel.add(WS, "gpt-4o-mini")
    model.change_price(Decimal("0.15"), Decimal("0.60"), None, NOW, NOW)

    with pytest.raises(error):
        model.correct_price(version, Decimal(1), Decimal(1), None, reason, NOW)
    assert model.corrections == []


def test_provider_key_left_out_keeps_the_stored_one():
    workspace = Workspace.create("Agency")
    workspace.change_provider_settings("https://api.openai.com/v1", 30, "cipher", "1234")

    workspace.change_provider_settings("http://127.0.0.1:8090/v1", 10, None, None)

    assert workspace.encrypted_provider_key == "cipher"
    assert workspace.provider_base_url == "http://127.0.0.1:8090/v1"


@pytest.mark.parametrize("url", ["ftp://x", "", "api.openai.com"])
def test_provider_base_url_must_be_http(url):
    with pytest.raises(InvalidInput):
        Workspace.create("Agency").change_provider_settings(url, 30, None, None)
