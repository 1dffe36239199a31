"""Who is calling the admin API, and the gateway it acts on."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request

from domain.errors import AuthenticationFailed
from domain.key_format import hash_secret
from infrastructure.bootstrap import Gateway


def get_gateway(request: Request) -> Gateway:
    return request.app.state.gateway


GatewayDep = Annotated[Gateway, Depends(get_gateway)]


def current_workspace(request: Request, gateway: GatewayDep) -> UUID:
    """An admin token is scoped to one workspace: every query below uses that id."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("send an admin token as 'Authorization: Bearer <token>'",
                                   code="missing_admin_token")
    workspace_id = gateway.state.workspace_by_admin_token_hash.get(hash_secret(token.strip()))
    if workspace_id is None:
        raise AuthenticationFailed("unknown or revoked admin token", code="invalid_admin_token")
    return workspace_id


CurrentWorkspace = Annotated[UUID, Depends(current_workspace)]
