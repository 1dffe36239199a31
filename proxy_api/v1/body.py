"""Reading a request body no larger than the configured limit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.requests import ClientDisconnect, Request

from domain.errors import InvalidInput, PayloadTooLarge


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is larger than the gateway's limit of "
                           f"{limit} bytes.", code="request_too_large")


def _check_declared(declared: str | None, limit: int) -> None:
    if declared is not None:
        if not declared.isdigit():
            raise InvalidInput("Content-Length is not a number.", code="invalid_request")
        if int(declared) > limit:
            raise too_large(limit)


async def _gather(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    parts, size = [], 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        parts.append(chunk)
    return b"".join(parts)


async def read_limited_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    _check_declared(declared, limit)
    if declared is not None:
        return await request.body()
    return await _gather(request.stream(), limit)


async def read_asgi_body(receive: Callable[[], Awaitable[dict[str, Any]]],
                         declared: str | None, limit: int) -> bytes:
    """The same, straight from ASGI ``receive``; a body in one message costs one await."""
    _check_declared(declared, limit)
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        body: bytes = message.get("body", b"")
        if len(body) > limit:
            raise too_large(limit)
        return body

    async def chunks() -> AsyncIterator[bytes]:
        current = message
        while True:
            if current["type"] != "http.request":
                raise ClientDisconnect()
            yield current.get("body", b"")
            if not current.get("more_body", False):
                return
            current = await receive()

    return await _gather(chunks(), limit)
