"""Admin API: the workspace's model catalog and prices."""

from __future__ import annotations

from fastapi import APIRouter, status

from domain.errors import NotFound
from proxy_api.admin.dependencies import CurrentWorkspace, GatewayDep
from proxy_api.admin.presenters import model_public
from proxy_api.admin.schemas import ModelPublic, ModelUpdate, PriceCorrectionCreate

router = APIRouter(prefix="/models", tags=["models"])


@router.get("", response_model=list[ModelPublic])
def list_models(workspace: CurrentWorkspace, gateway: GatewayDep):
    """List every model of the catalog, enabled or not, with prices."""
    now = gateway.clock.now()
    return [model_public(m, now) for m in gateway.state.models_of(workspace)]


@router.get("/{model_id:path}", response_model=ModelPublic)
def get_model(model_id: str, workspace: CurrentWorkspace, gateway: GatewayDep):
    """Show one model with its price history."""
    model = gateway.state.model(workspace, model_id)
    if model is None:
        raise NotFound(f"model {model_id} not found", code="model_not_found")
    return model_public(model, gateway.clock.now())


@router.put("/{model_id:path}", response_model=ModelPublic)
def put_model(model_id: str, body: ModelUpdate, workspace: CurrentWorkspace,
              gateway: GatewayDep):
    """Add a model or change it; a new price is appended, effective from a moment."""
    fields = body.model_dump(include=body.model_fields_set)
    model = gateway.models.configure(workspace, model_id, **fields)
    return model_public(model, gateway.clock.now())


@router.post("/{model_id:path}/price-corrections", response_model=ModelPublic,
             status_code=status.HTTP_201_CREATED)
def correct_price(model_id: str, body: PriceCorrectionCreate, workspace: CurrentWorkspace,
                  gateway: GatewayDep):
    """Correct a price version that was wrong. Requests keep the version they were costed
    with; closed cycles get a credit or debit note in the next cycle, and if the version is
    the latest, the corrected rates also apply from now on as a new version."""
    model = gateway.models.correct_price(workspace, model_id, **body.model_dump())
    return model_public(model, gateway.clock.now())
