"""The ASGI entry point uvicorn imports in each worker process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from infrastructure.bootstrap import Gateway, build_gateway
from proxy_api.app import create_app


def serve_gateway(gateway: Gateway) -> FastAPI:
    """An app whose lifespan starts and stops the gateway's background work."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        gateway.start()
        try:
            yield
        finally:
            await gateway.relay.upstream.aclose()  # type: ignore[attr-defined]
            close_counters = getattr(gateway.relay.limits.counters, "close", None)
            if close_counters is not None:
                await close_counters()
            gateway.close()

    app = create_app(gateway)
    app.router.lifespan_context = lifespan
    return app


def create_app_from_environment() -> FastAPI:
    return serve_gateway(build_gateway())
