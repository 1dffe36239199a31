"""The OpenAI-compatible API under /v1.

Handlers take the raw request: the bodies they relay are read as bytes and never
validated into models, which would cost more than the relaying itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from application.proxy.accounting import RequestAccount
from application.proxy.endpoints import (
    CHAT_COMPLETIONS,
    COMPLETIONS,
    EMBEDDINGS,
    MODELS,
    RESPONSE_CANCEL,
    RESPONSE_DELETE,
    RESPONSE_INPUT_ITEMS,
    RESPONSE_RETRIEVE,
    RESPONSES,
    Endpoint,
)
from application.proxy.relay import ProxyRelay, RelayResult, new_request_id
from domain.errors import GatewayError, ModelNotFound
from infrastructure.json_logging import request_id_var
from infrastructure.prometheus_metrics import observe_request
from proxy_api.errors import error_body, json_response, status_of
from proxy_api.v1.body import read_limited_body

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible proxy"])
access_log = logging.getLogger("gateway.access")

BODY_DOC = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"type": "object", "required": ["model"],
               "properties": {"model": {"type": "string"}, "stream": {"type": "boolean"}},
               "additionalProperties": True}}}}}
SSE_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}


def error_response(error: GatewayError, request_id: str) -> Response:
    status, type_ = status_of(error, openai_api=True)
    headers = {"x-request-id": request_id, **getattr(error, "headers", {})}
    return json_response(status, error_body(error.message, type_, error.code, error.field),
                         headers)


def to_response(result: RelayResult, request_id: str) -> Response:
    headers = {"x-request-id": request_id, **result.headers}
    if result.stream is not None:
        return StreamingResponse(result.stream, status_code=result.status,
                                 media_type="text/event-stream",
                                 headers={**SSE_HEADERS, **headers})
    return Response(result.body, status_code=result.status, media_type=result.content_type,
                    headers=headers)


async def relay(request: Request, endpoint: Endpoint) -> Response:
    started = time.perf_counter()
    response = await _relay(request, endpoint)
    elapsed = time.perf_counter() - started
    observe_request(endpoint.name, response.status_code, elapsed)
    if access_log.isEnabledFor(logging.INFO):
        access_log.info("request", extra={
            "request_id": response.headers.get("x-request-id"), "endpoint": endpoint.name,
            "status": response.status_code, "ms": round(elapsed * 1000, 2)})
    return response


async def _relay(request: Request, endpoint: Endpoint) -> Response:
    async def forward(proxy: ProxyRelay, account: RequestAccount) -> RelayResult:
        body = await read_limited_body(request, request.app.state.max_body_bytes)
        return await proxy.forward(endpoint, account, body)

    return await handle(request, endpoint, forward)


async def handle(request: Request, endpoint: Endpoint,
                 action: Callable[[ProxyRelay, RequestAccount], Awaitable[RelayResult]]
                 ) -> Response:
    """Authenticates (a 401 is not recorded), runs the action, and records any refusal."""
    proxy: ProxyRelay = request.app.state.relay
    request_id = new_request_id()
    request_id_var.set(request_id)
    try:
        account = proxy.open_account(endpoint, request.headers, request_id)
    except GatewayError as error:
        return error_response(error, request_id)
    try:
        return to_response(await action(proxy, account), request_id)
    except GatewayError as error:
        status, _ = status_of(error, openai_api=True)
        await proxy.record_refusal(account, error, status)
        return error_response(error, request_id)


@router.post("/chat/completions", openapi_extra=BODY_DOC)
async def chat_completions(request: Request) -> Response:
    """Create a chat completion, streamed (SSE) or not."""
    return await relay(request, CHAT_COMPLETIONS)


@router.post("/completions", openapi_extra=BODY_DOC)
async def completions(request: Request) -> Response:
    """Create a text completion, streamed (SSE) or not."""
    return await relay(request, COMPLETIONS)


@router.post("/embeddings", openapi_extra=BODY_DOC)
async def embeddings(request: Request) -> Response:
    """Create embeddings."""
    return await relay(request, EMBEDDINGS)


@router.post("/responses", openapi_extra=BODY_DOC)
async def create_response(request: Request) -> Response:
    """Create a model response (OpenAI Responses API), streamed (SSE) or not."""
    return await relay(request, RESPONSES)


def _stored(request: Request, endpoint: Endpoint, method: str, response_id: str,
            suffix: str = "") -> Awaitable[Response]:
    async def action(proxy: ProxyRelay, account: RequestAccount) -> RelayResult:
        return await proxy.stored_response(account, method, response_id, suffix,
                                           request.url.query)

    return handle(request, endpoint, action)


@router.get("/responses/{response_id}")
async def retrieve_response(response_id: str, request: Request) -> Response:
    """Retrieve a stored response created through the same client's keys."""
    return await _stored(request, RESPONSE_RETRIEVE, "GET", response_id)


@router.delete("/responses/{response_id}")
async def delete_response(response_id: str, request: Request) -> Response:
    """Delete a stored response created through the same client's keys."""
    return await _stored(request, RESPONSE_DELETE, "DELETE", response_id)


@router.post("/responses/{response_id}/cancel")
async def cancel_response(response_id: str, request: Request) -> Response:
    """Cancel a background response created through the same client's keys."""
    return await _stored(request, RESPONSE_CANCEL, "POST", response_id, "/cancel")


@router.get("/responses/{response_id}/input_items")
async def list_input_items(response_id: str, request: Request) -> Response:
    """List the input items of a stored response created through the same client's keys."""
    return await _stored(request, RESPONSE_INPUT_ITEMS, "GET", response_id, "/input_items")


def _model_object(model) -> dict[str, object]:
    return {"id": model.model_id, "object": "model",
            "created": int(model.created_on.astimezone(UTC).timestamp()),
            "owned_by": "llm-gateway"}


async def answer_models(request: Request, model_id: str | None) -> Response:
    proxy: ProxyRelay = request.app.state.relay
    request_id = new_request_id()
    try:
        account = proxy.open_account(MODELS, request.headers, request_id)
    except GatewayError as error:
        return error_response(error, request_id)
    workspace_id = account.caller.workspace.id
    try:
        if model_id is None:
            body: object = {"object": "list", "data": [
                _model_object(m) for m in proxy.directory.models_of(workspace_id) if m.enabled]}
        else:
            account.model = model_id[:200]
            model = proxy.directory.model(workspace_id, model_id)
            if model is None or not model.enabled:
                raise ModelNotFound(f"The model '{model_id}' does not exist.", field="model",
                                    code="model_not_found")
            body = _model_object(model)
        await proxy.record_answered_here(account)
    except GatewayError as error:
        status, _ = status_of(error, openai_api=True)
        await proxy.record_refusal(account, error, status)
        return error_response(error, request_id)
    return json_response(200, body, {"x-request-id": request_id})


@router.get("/models")
async def list_models(request: Request) -> Response:
    """List the models enabled for the key's workspace."""
    return await answer_models(request, None)


@router.get("/models/{model_id:path}")
async def retrieve_model(model_id: str, request: Request) -> Response:
    """Show one enabled model of the key's workspace."""
    return await answer_models(request, model_id)
