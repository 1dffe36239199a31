"""Admin API: a client's statement replayed from the raw events, reconciled and verified."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from starlette.responses import Response

from application.audit.statement_csv import statement_csv, statement_filename
from domain.cycles import CycleWindow
from domain.errors import NotFound
from infrastructure.audit_wiring import reconcile_window, replay_window, verify_cycle, window_of
from proxy_api.admin.audit_schemas import (
    DifferencePublic,
    ReconciliationPublic,
    VerificationPublic,
)
from proxy_api.admin.dependencies import CurrentWorkspace, GatewayDep

router = APIRouter(prefix="/audit", tags=["audit"])
CYCLE = "Cycle label (2026-11) or any date in the cycle; default: the cycle running now."


def audited_period(
    client_id: UUID, workspace: CurrentWorkspace, gateway: GatewayDep,
    cycle: Annotated[str | None, Query(description=CYCLE)] = None,
    start: Annotated[str | None, Query(alias="from", description=(
        "ISO 8601 start, instead of a cycle; without an offset, the server's local time."))
    ] = None,
    end: Annotated[str | None, Query(alias="to", description="ISO 8601 end (exclusive); "
                                     "default: now.")] = None,
) -> CycleWindow:
    return window_of(gateway, workspace, client_id, cycle, start, end)


Period = Annotated[CycleWindow, Depends(audited_period)]


@router.get("/clients/{client_id}/statement")
def get_statement(client_id: UUID, workspace: CurrentWorkspace, gateway: GatewayDep,
                  period: Period) -> dict[str, Any]:
    """Replay the client's statement for a cycle from the raw events, with its digest."""
    return replay_window(gateway, workspace, client_id, period).as_dict()


@router.get("/clients/{client_id}/statement.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def download_statement(client_id: UUID, workspace: CurrentWorkspace, gateway: GatewayDep,
                       period: Period) -> Response:
    """Download the replayed statement as CSV: rows per model, key and day, then the total."""
    statement = replay_window(gateway, workspace, client_id, period)
    disposition = f'attachment; filename="{statement_filename(statement)}"'
    return Response(statement_csv(statement), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition})


@router.get("/clients/{client_id}/reconciliation", response_model=ReconciliationPublic)
def reconcile_statement(client_id: UUID, workspace: CurrentWorkspace, gateway: GatewayDep,
                        period: Period) -> ReconciliationPublic:
    """Compare the replay with the read models and the closed statement, naming requests."""
    replayed = replay_window(gateway, workspace, client_id, period)
    result = reconcile_window(gateway, workspace, client_id, period, replayed)
    return ReconciliationPublic(
        cycle=period.label, start=period.start, end=period.end, agrees=result.agrees,
        compared=result.compared,
        differences=[DifferencePublic(between=d.between, what=d.what, left=d.left,
                                      right=d.right, request_ids=list(d.request_ids))
                     for d in result.differences])


@router.get("/clients/{client_id}/verification", response_model=list[VerificationPublic])
def verify_statements(client_id: UUID, workspace: CurrentWorkspace, gateway: GatewayDep,
                      cycle: Annotated[str | None, Query(description=(
                          "Label of one closed cycle; default: every closed cycle."))] = None
                      ) -> list[VerificationPublic]:
    """Check each closed cycle's digest against the events as stored now."""
    if gateway.state.client(workspace, client_id) is None:
        raise NotFound(f"client {client_id} not found")
    try:
        results = verify_cycle(gateway).execute(client_id, label=cycle)
    except NotFound:
        if cycle:
            raise
        return []  # nothing closed yet
    return [VerificationPublic(
        cycle=r.label, intact=r.intact, problems=r.problems, expected_digest=r.expected_digest,
        actual_digest=r.actual_digest, expected_events=r.expected_events,
        actual_events=r.actual_events) for r in results]
