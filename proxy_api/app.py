"""The FastAPI application: admin API, OpenAI-compatible proxy, health."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from dashboard.mount import dashboard_asgi
from domain.errors import GatewayError
from infrastructure.bootstrap import Gateway
from proxy_api.admin.router import router as admin_router
from proxy_api.errors import gateway_error_handler, validation_error_handler
from proxy_api.health import router as health_router
from proxy_api.v1.routes import router as v1_router


def create_app(gateway: Gateway) -> FastAPI:
    app = FastAPI(
        title="LLM Gateway",
        version="0.1.0",
        description="OpenAI-compatible gateway with per-client keys, limits and exact "
                    "usage accounting. Admin API under /admin/v1, proxy under /v1.",
    )
    app.state.gateway = gateway
    app.state.relay = gateway.relay
    app.state.max_body_bytes = gateway.settings.max_body_bytes
    app.add_exception_handler(GatewayError, gateway_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.include_router(health_router)
    app.include_router(admin_router)
    app.include_router(v1_router)
    app.mount("/dashboard", dashboard_asgi(gateway), name="dashboard")
    return app
