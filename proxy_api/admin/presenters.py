"""Aggregates into *Public bodies. Secrets never get past this module."""

from __future__ import annotations

from datetime import datetime

from domain.api_key import KEY_PREFIX, ApiKey
from domain.catalog_model import CatalogModel
from domain.client import Client
from domain.pricing import Price
from domain.staff import StaffMember
from domain.workspace import Workspace
from proxy_api.admin.schemas import (
    ClientPublic,
    KeyPublic,
    ModelPublic,
    PriceCorrectionPublic,
    PricePublic,
    ProviderPublic,
    StaffPublic,
)


def client_public(client: Client) -> ClientPublic:
    return ClientPublic(
        id=client.id, name=client.name, email=client.email, company=client.company,
        phone=client.phone, status=client.status, status_reason=client.status_reason,
        limits=client.limit_policy, markup_percent=str(client.markup_percent),
        created_at=client.created_on, updated_at=client.modified_on,
    )


def key_status(key: ApiKey, now: datetime) -> str:
    if key.revoked:
        return "revoked"
    if key.expires_at is not None and key.expires_at <= now:
        return "expired"
    return "active"


def key_public(key: ApiKey, now: datetime) -> KeyPublic:
    return KeyPublic(
        id=key.id, client_id=key.client_id, prefix=f"{KEY_PREFIX}{key.public_id}",
        name=key.name, status=key_status(key, now), created_at=key.created_on,  # type: ignore[arg-type]
        expires_at=key.expires_at, revoked_at=key.revoked_at,
        previous_secret_valid_until=key.previous_valid_until,
    )


def price_public(price: Price) -> PricePublic:
    return PricePublic(
        version=price.version, input_per_million=str(price.input_per_million),
        output_per_million=str(price.output_per_million),
        cached_input_per_million=None if price.cached_input_per_million is None
        else str(price.cached_input_per_million),
        effective_from=price.effective_from,
    )


def model_public(model: CatalogModel, now: datetime) -> ModelPublic:
    """``price`` is the one in effect now; a scheduled change shows in the history."""
    current = model.price_at(now)
    return ModelPublic(id=model.model_id, enabled=model.enabled,
                       price=price_public(current) if current else None,
                       price_history=[price_public(p) for p in model.prices],
                       corrections=[PriceCorrectionPublic(
                           ref=c.ref, version=c.price.version,
                           input_per_million=str(c.price.input_per_million),
                           output_per_million=str(c.price.output_per_million),
                           cached_input_per_million=None if c.price.cached_input_per_million
                           is None else str(c.price.cached_input_per_million),
                           reason=c.reason) for c in model.corrections])


def provider_public(workspace: Workspace) -> ProviderPublic:
    return ProviderPublic(base_url=workspace.provider_base_url,
                          timeout_seconds=workspace.provider_timeout_seconds,
                          api_key_set=workspace.encrypted_provider_key is not None,
                          api_key_last4=workspace.provider_key_last4)


def staff_public(member: StaffMember) -> StaffPublic:
    return StaffPublic(id=member.id, email=member.email, role=member.role, active=member.active)
