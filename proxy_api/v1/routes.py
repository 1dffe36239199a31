"""The OpenAI-compatible API under /v1.

Handlers take the raw request: the bodies they relay are read as bytes and never
validated into models, which would cost more than the relaying itself.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
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
from proxy_api.errors import json_response, status_of
from proxy_api.v1.body import read_limited_body
from proxy_api.v1.relaying import Action, Answer, answer, error_answer, observe

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible proxy"])

BODY_DOC = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"type": "object", "required": ["model"],
               "properties": {"model": {"type": "string"}, "stream": {"type": "boolean"}},
               "additionalProperties": True}}}}}
SSE_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}


def error_response(error: GatewayError, request_id: str) -> Response:
    return to_response(error_answer(error, request_id))


def to_response(answer: Answer) -> Response:
    if answer.stream is not None:
        return StreamingResponse(answer.stream, status_code=answer.status,
                                 media_type="text/event-stream",
                                 headers={**SSE_HEADERS, **answer.headers})
    return Response(answer.body, status_code=answer.status, media_type=answer.content_type,
                    headers=answer.headers)


async def relay(request: Request, endpoint: Endpoint) -> Response:
    started = time.perf_counter()

    async def forward(proxy: ProxyRelay, account: RequestAccount) -> RelayResult:
        body = await read_limited_body(request, request.app.state.max_body_bytes)
        return await proxy.forward(endpoint, account, body)

    result = await answer(request.app.state.relay, endpoint, request.headers, forward)
    observe(endpoint, result.status, result.headers["x-request-id"],
            time.perf_counter() - started)
    return to_response(result)


async def handle(request: Request, endpoint: Endpoint, action: Action) -> Response:
    return to_response(await answer(request.app.state.relay, endpoint, request.headers,
                                    action))


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
