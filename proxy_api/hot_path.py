"""The relayed /v1 POSTs, dispatched before FastAPI's routing and middleware.

Those handlers take the raw request anyway; profiling under load showed FastAPI's
router and middleware stack costing ~28% of the gateway's CPU per request. Every other
request, and these routes' OpenAPI documentation, stays with FastAPI.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request

from application.proxy.endpoints import (
    CHAT_COMPLETIONS,
    COMPLETIONS,
    EMBEDDINGS,
    RESPONSES,
    Endpoint,
)
from proxy_api.errors import error_body, json_response
from proxy_api.v1.routes import relay

log = logging.getLogger(__name__)
HOT_ROUTES: dict[str, Endpoint] = {
    "/v1/chat/completions": CHAT_COMPLETIONS,
    "/v1/completions": COMPLETIONS,
    "/v1/embeddings": EMBEDDINGS,
    "/v1/responses": RESPONSES,
}


class HotPathDispatcher:
    def __init__(self, app: FastAPI):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        endpoint = HOT_ROUTES.get(scope.get("path", "")) if scope["type"] == "http" \
            and scope["method"] == "POST" else None
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        scope["app"] = self.app
        try:
            response = await relay(Request(scope, receive), endpoint)
        except Exception:
            log.exception("unexpected error while relaying")
            response = json_response(500, error_body(
                "The gateway failed unexpectedly; the error is logged.", "server_error",
                "internal_error"))
        await response(scope, receive, send)
