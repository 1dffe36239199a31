"""Admin API: the workspace's provider settings."""

from __future__ import annotations

from fastapi import APIRouter

from domain.errors import NotFound
from proxy_api.admin.dependencies import CurrentWorkspace, GatewayDep
from proxy_api.admin.presenters import provider_public
from proxy_api.admin.schemas import ProviderPublic, ProviderUpdate

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("/provider", response_model=ProviderPublic)
def get_provider(workspace: CurrentWorkspace, gateway: GatewayDep):
    """Show the provider settings; the API key only as its last 4 characters."""
    found = gateway.state.workspace(workspace)
    if found is None:
        raise NotFound("workspace not found")
    return provider_public(found)


@router.put("/provider", response_model=ProviderPublic)
def put_provider(body: ProviderUpdate, workspace: CurrentWorkspace, gateway: GatewayDep):
    """Set the base URL, timeout or API key; fields left out keep their value."""
    updated = gateway.workspaces.set_provider(workspace, body.base_url, body.timeout_seconds,
                                              body.api_key)
    return provider_public(updated)
