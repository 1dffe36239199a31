"""The relayed /v1 POSTs, dispatched before FastAPI's routing and middleware.

Those handlers take the raw request anyway; profiling under load showed FastAPI's
router and middleware stack costing ~28% of the gateway's CPU per request. Here the
request is read and the answer sent with bare ASGI messages, without Starlette's
Request and Response (``one_write_send``, ``stream_send``). Every other request, and
these routes' OpenAPI documentation, stays with FastAPI.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import FastAPI

from application.proxy.accounting import RequestAccount
from application.proxy.endpoints import (
    CHAT_COMPLETIONS,
    COMPLETIONS,
    EMBEDDINGS,
    RESPONSES,
    Endpoint,
)
from application.proxy.relay import ProxyRelay, RelayResult
from proxy_api.errors import error_body, json_response
from proxy_api.one_write_send import send_in_one_write
from proxy_api.stream_send import send_stream
from proxy_api.v1.body import read_asgi_body
from proxy_api.v1.relaying import Answer, answer, observe
from proxy_api.v1.routes import SSE_HEADERS

log = logging.getLogger(__name__)
HOT_ROUTES: dict[str, Endpoint] = {
    "/v1/chat/completions": CHAT_COMPLETIONS,
    "/v1/completions": COMPLETIONS,
    "/v1/embeddings": EMBEDDINGS,
    "/v1/responses": RESPONSES,
}
# What the relay reads of a request's headers; the rest are never decoded.
READ_HEADERS = frozenset({b"authorization", b"content-length", b"x-session-id",
                          b"x-n8n-workflow-id", b"x-n8n-execution-id"})


def request_headers(scope: dict[str, Any]) -> dict[str, str]:
    """The headers the relay reads; the first of repeated ones wins, as in Starlette."""
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        name = name.lower()
        if name in READ_HEADERS:
            found.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return found


def _encoded(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]


SSE_HEAD = _encoded({"content-type": "text/event-stream; charset=utf-8", **SSE_HEADERS})


async def send_whole(send: Any, answer_: Answer) -> None:
    headers = [(b"content-type", answer_.content_type.encode("latin-1")),
               (b"content-length", str(len(answer_.body)).encode("latin-1"))]
    headers += _encoded(answer_.headers)
    await send_in_one_write(
        send, {"type": "http.response.start", "status": answer_.status, "headers": headers},
        {"type": "http.response.body", "body": answer_.body})


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
            result = await self._answer(scope, receive, endpoint)
        except Exception:
            log.exception("unexpected error while relaying")
            response = json_response(500, error_body(
                "The gateway failed unexpectedly; the error is logged.", "server_error",
                "internal_error"))
            await response(scope, receive, send)
            return
        if result.stream is None:
            await send_whole(send, result)
        else:
            await send_stream(receive, send, result.status,
                              SSE_HEAD + _encoded(result.headers), result.stream)

    async def _answer(self, scope: dict[str, Any], receive: Any, endpoint: Endpoint) -> Answer:
        started = time.perf_counter()
        state = self.app.state
        headers = request_headers(scope)

        async def forward(proxy: ProxyRelay, account: RequestAccount) -> RelayResult:
            body = await read_asgi_body(receive, headers.get("content-length"),
                                        state.max_body_bytes)
            return await proxy.forward(endpoint, account, body)

        result = await answer(state.relay, endpoint, headers, forward)
        observe(endpoint, result.status, result.headers["x-request-id"],
                time.perf_counter() - started)
        return result
