"""One table from the domain's error tree to HTTP, and OpenAI's error body shape."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import Response

from domain.errors import (
    AuthenticationFailed,
    Conflict,
    GatewayError,
    InvalidInput,
    LimitExceeded,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    Unavailable,
    UpstreamConnectionLost,
    UpstreamMalformed,
    UpstreamTimeout,
    UpstreamUnreachable,
)

# Most specific first: the first matching class wins. Types follow OpenAI's API.
STATUS_BY_ERROR: tuple[tuple[type[GatewayError], int, str], ...] = (
    (AuthenticationFailed, 401, "invalid_request_error"),
    (PermissionDenied, 403, "permission_error"),
    (NotFound, 404, "invalid_request_error"),
    (Conflict, 409, "conflict_error"),
    (InvalidInput, 422, "invalid_request_error"),
    (PayloadTooLarge, 413, "invalid_request_error"),
    (LimitExceeded, 429, "rate_limit_exceeded"),
    (Unavailable, 503, "service_unavailable"),
    (UpstreamTimeout, 504, "timeout_error"),
    (UpstreamUnreachable, 502, "upstream_error"),
    (UpstreamConnectionLost, 502, "upstream_error"),
    (UpstreamMalformed, 502, "upstream_error"),
    (GatewayError, 500, "server_error"),
)
# The OpenAI-compatible API answers bad input with 400, as OpenAI does.
V1_STATUS_OVERRIDES: dict[type[GatewayError], int] = {InvalidInput: 400}


def error_body(message: str, type_: str, code: str | None, param: str | None = None,
               **extra: Any) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code, **extra}}


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json",
                    headers=headers)


def status_of(error: GatewayError, *, openai_api: bool = False) -> tuple[int, str]:
    for error_class, status, type_ in STATUS_BY_ERROR:
        if isinstance(error, error_class):
            if openai_api:
                status = V1_STATUS_OVERRIDES.get(error_class, status)
            return status, type_
    raise AssertionError("GatewayError is the last row")


async def gateway_error_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, GatewayError)
    status, type_ = status_of(error, openai_api=request.url.path.startswith("/v1/"))
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return json_response(status, error_body(error.message, type_, error.code, error.field),
                         headers)


async def validation_error_handler(_: Request, error: Exception) -> Response:
    """FastAPI's 422 in the gateway's one error shape, keeping every field's message."""
    assert isinstance(error, RequestValidationError)
    fields = [
        {"field": ".".join(str(p) for p in item["loc"] if p != "body"), "message": item["msg"]}
        for item in error.errors()
    ]
    first = fields[0] if fields else {"field": None, "message": "invalid input"}
    message = "; ".join(f"{f['field']}: {f['message']}" for f in fields) or "invalid input"
    return json_response(422, error_body(message, "invalid_request_error", "invalid_input",
                                         first["field"], fields=fields))
