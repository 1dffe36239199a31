"""Admin API: gateway keys of a client."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from domain.errors import NotFound
from proxy_api.admin.dependencies import CurrentWorkspace, GatewayDep
from proxy_api.admin.presenters import key_public
from proxy_api.admin.schemas import (
    KeyCreate,
    KeyExpiry,
    KeyIssued,
    KeyPublic,
    KeyRegenerate,
    KeyRevoke,
)

router = APIRouter(tags=["keys"])


@router.post("/clients/{client_id}/keys", status_code=201, response_model=KeyIssued)
def issue_key(client_id: UUID, body: KeyCreate, workspace: CurrentWorkspace,
              gateway: GatewayDep):
    """Issue a key; its plaintext is in this response only."""
    issued = gateway.keys.issue(workspace, client_id, body.name, body.expires_at)
    public = key_public(issued.key, gateway.clock.now())
    return KeyIssued(**public.model_dump(), key=issued.plaintext)


@router.get("/clients/{client_id}/keys", response_model=list[KeyPublic])
def list_keys(client_id: UUID, workspace: CurrentWorkspace, gateway: GatewayDep):
    """List a client's keys, without secrets."""
    if gateway.state.client(workspace, client_id) is None:
        raise NotFound(f"client {client_id} not found")
    now = gateway.clock.now()
    return [key_public(k, now) for k in gateway.state.keys_of(workspace, client_id)]


@router.get("/keys/{key_id}", response_model=KeyPublic)
def get_key(key_id: UUID, workspace: CurrentWorkspace, gateway: GatewayDep):
    """Show one key, without its secret."""
    key = gateway.state.key(workspace, key_id)
    if key is None:
        raise NotFound(f"key {key_id} not found")
    return key_public(key, gateway.clock.now())


@router.post("/keys/{key_id}/regenerate", response_model=KeyIssued)
def regenerate_key(key_id: UUID, workspace: CurrentWorkspace, gateway: GatewayDep,
                   body: KeyRegenerate | None = None):
    """Give the key a new secret; the old one may work on for a grace period."""
    grace = body.grace_seconds if body else 0
    issued = gateway.keys.regenerate(workspace, key_id, grace)
    public = key_public(issued.key, gateway.clock.now())
    return KeyIssued(**public.model_dump(), key=issued.plaintext)


@router.post("/keys/{key_id}/revoke", response_model=KeyPublic)
def revoke_key(key_id: UUID, workspace: CurrentWorkspace, gateway: GatewayDep,
               body: KeyRevoke | None = None):
    """Revoke a key for good; it stops working within a second everywhere."""
    key = gateway.keys.revoke(workspace, key_id, body.reason if body else None)
    return key_public(key, gateway.clock.now())


@router.put("/keys/{key_id}/expiry", response_model=KeyPublic)
def set_key_expiry(key_id: UUID, body: KeyExpiry, workspace: CurrentWorkspace,
                   gateway: GatewayDep):
    """Set or clear the key's expiry."""
    key = gateway.keys.set_expiry(workspace, key_id, body.expires_at)
    return key_public(key, gateway.clock.now())
