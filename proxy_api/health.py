"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.responses import Response

from proxy_api.admin.dependencies import GatewayDep
from proxy_api.errors import json_response

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz():
    """Liveness: the process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(gateway: GatewayDep):
    """Readiness: the event store answers and the log follower keeps up."""
    checks = {"management_log": gateway.follower.healthy,
              "usage_ledger": gateway.usage_writer.healthy}
    try:
        gateway.management.recorder.max_notification_id()
        checks["database"] = True
    except Exception:
        checks["database"] = False
    ready = all(checks.values())
    runner = gateway.projections
    leads = {"projections": sorted(n for n in runner.projections if runner.election.leads(n)),
             "jobs": gateway.jobs is not None and gateway.jobs.leader.leads("scheduled-jobs")}
    return json_response(200 if ready else 503, {"ready": ready, "checks": checks,
                                                 "leads": leads})


@router.get("/metrics")
def metrics():
    """Prometheus metrics of this process."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
