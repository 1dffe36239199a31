"""One relayed /v1 request, from its headers to an answer, whichever server layer sends it.

FastAPI's routes (``routes.py``) and the raw ASGI hot path (``proxy_api/hot_path.py``)
both call ``answer``: authentication, the use case, refusals recorded, errors shaped as
OpenAI's. Each then sends the answer its own way.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass

import orjson

from application.proxy.accounting import RequestAccount
from application.proxy.endpoints import Endpoint
from application.proxy.relay import ProxyRelay, RelayResult, new_request_id
from domain.errors import GatewayError
from infrastructure.json_logging import request_id_var
from infrastructure.prometheus_metrics import observe_request
from proxy_api.errors import error_body, status_of

access_log = logging.getLogger("gateway.access")
Action = Callable[[ProxyRelay, RequestAccount], Awaitable[RelayResult]]


@dataclass(slots=True)
class Answer:
    status: int
    content_type: str
    headers: dict[str, str]  # x-request-id first
    body: bytes = b""
    stream: AsyncIterator[bytes] | None = None


def error_answer(error: GatewayError, request_id: str) -> Answer:
    status, type_ = status_of(error, openai_api=True)
    return Answer(status, "application/json",
                  {"x-request-id": request_id, **getattr(error, "headers", {})},
                  orjson.dumps(error_body(error.message, type_, error.code, error.field)))


async def answer(proxy: ProxyRelay, endpoint: Endpoint, headers: Mapping[str, str],
                 action: Action) -> Answer:
    """Authenticates (a 401 is not recorded), runs the action, and records any refusal."""
    request_id = new_request_id()
    request_id_var.set(request_id)
    try:
        account = proxy.open_account(endpoint, headers, request_id)
    except GatewayError as error:
        return error_answer(error, request_id)
    try:
        result = await action(proxy, account)
    except GatewayError as error:
        status, _ = status_of(error, openai_api=True)
        await proxy.record_refusal(account, error, status)
        return error_answer(error, request_id)
    return Answer(result.status, result.content_type,
                  {"x-request-id": request_id, **result.headers}, result.body, result.stream)


def observe(endpoint: Endpoint, status: int, request_id: str, seconds: float) -> None:
    observe_request(endpoint.name, status, seconds)
    if access_log.isEnabledFor(logging.INFO):
        access_log.info("request", extra={
            "request_id": request_id, "endpoint": endpoint.name, "status": status,
            "ms": round(seconds * 1000, 2)})
