"""Admin API: staff members of the workspace."""

from __future__ import annotations

from fastapi import APIRouter

from proxy_api.admin.dependencies import CurrentWorkspace, GatewayDep
from proxy_api.admin.presenters import staff_public
from proxy_api.admin.schemas import StaffCreate, StaffPublic

router = APIRouter(prefix="/staff", tags=["staff"])


@router.post("", status_code=201, response_model=StaffPublic)
def add_staff(body: StaffCreate, workspace: CurrentWorkspace, gateway: GatewayDep):
    """Add a staff member who can sign in to the dashboard."""
    return staff_public(gateway.staff.add(workspace, body.email, body.password, body.role))


@router.get("", response_model=list[StaffPublic])
def list_staff(workspace: CurrentWorkspace, gateway: GatewayDep):
    """List the workspace's staff members."""
    return [staff_public(s) for s in gateway.state.staff_of(workspace)]
