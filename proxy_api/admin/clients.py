"""Admin API: clients, their status, limits and markup."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Query

from domain.errors import NotFound
from proxy_api.admin.dependencies import CurrentWorkspace, GatewayDep
from proxy_api.admin.presenters import client_public
from proxy_api.admin.schemas import (
    ClientCreate,
    ClientPublic,
    ClientUpdate,
    LimitPolicyBody,
    MarkupBody,
    StatusChange,
)

router = APIRouter(prefix="/clients", tags=["clients"])


@router.post("", status_code=201, response_model=ClientPublic)
def register_client(body: ClientCreate, workspace: CurrentWorkspace, gateway: GatewayDep):
    """Register a client of the agency."""
    client = gateway.clients.register(workspace, body.name, body.email, body.company, body.phone)
    return client_public(client)


@router.get("", response_model=list[ClientPublic])
def list_clients(
    workspace: CurrentWorkspace, gateway: GatewayDep,
    search: str | None = Query(default=None, description="Matches name, email or company."),
    status: Literal["active", "suspended", "inactive"] | None = None,
):
    """List the workspace's clients, optionally searched and filtered by status."""
    return [client_public(c) for c in gateway.state.clients_of(workspace, search, status)]


@router.get("/{client_id}", response_model=ClientPublic)
def get_client(client_id: UUID, workspace: CurrentWorkspace, gateway: GatewayDep):
    """Show one client."""
    client = gateway.state.client(workspace, client_id)
    if client is None:
        raise NotFound(f"client {client_id} not found")
    return client_public(client)


@router.patch("/{client_id}", response_model=ClientPublic)
def update_client(client_id: UUID, body: ClientUpdate, workspace: CurrentWorkspace,
                  gateway: GatewayDep):
    """Update a client's profile; fields left out keep their value."""
    changes = body.model_dump(include=body.model_fields_set)
    return client_public(gateway.clients.update_profile(workspace, client_id, **changes))


@router.post("/{client_id}/status", response_model=ClientPublic)
def change_client_status(client_id: UUID, body: StatusChange, workspace: CurrentWorkspace,
                         gateway: GatewayDep):
    """Activate, suspend or deactivate a client, with a reason."""
    return client_public(
        gateway.clients.change_status(workspace, client_id, body.status, body.reason))


@router.put("/{client_id}/limits", response_model=ClientPublic)
def set_client_limits(client_id: UUID, body: LimitPolicyBody, workspace: CurrentWorkspace,
                      gateway: GatewayDep):
    """Replace the client's limit policy: cycle, time zone and maximums."""
    return client_public(gateway.clients.set_limits(workspace, client_id, body.model_dump()))


@router.put("/{client_id}/markup", response_model=ClientPublic)
def set_client_markup(client_id: UUID, body: MarkupBody, workspace: CurrentWorkspace,
                      gateway: GatewayDep):
    """Set the billing markup: billed = provider cost × (1 + markup %)."""
    return client_public(gateway.clients.set_markup(workspace, client_id, body.markup_percent))
