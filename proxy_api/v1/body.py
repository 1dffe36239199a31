"""Reading a request body no larger than the configured limit."""

from __future__ import annotations

from starlette.requests import Request

from domain.errors import InvalidInput, PayloadTooLarge


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is larger than the gateway's limit of "
                           f"{limit} bytes.", code="request_too_large")


async def read_limited_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise InvalidInput("Content-Length is not a number.", code="invalid_request")
        if int(declared) > limit:
            raise too_large(limit)
        return await request.body()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)
