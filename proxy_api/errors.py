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
    NotFound,
    PermissionDenied,
)

# Most specific first: the first matching class wins.
STATUS_BY_ERROR: tuple[tuple[type[GatewayError], int, str], ...] = (
    (AuthenticationFailed, 401, "authentication_error"),
    (PermissionDenied, 403, "permission_error"),
    (NotFound, 404, "not_found_error"),
    (Conflict, 409, "conflict_error"),
    (InvalidInput, 422, "invalid_request_error"),
    (GatewayError, 500, "server_error"),
)


def error_body(message: str, type_: str, code: str | None, param: str | None = None,
               **extra: Any) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code, **extra}}


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json",
                    headers=headers)


def status_of(error: GatewayError) -> tuple[int, str]:
    for error_class, status, type_ in STATUS_BY_ERROR:
        if isinstance(error, error_class):
            return status, type_
    raise AssertionError("GatewayError is the last row")


async def gateway_error_handler(_: Request, error: Exception) -> Response:
    assert isinstance(error, GatewayError)
    status, type_ = status_of(error)
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
