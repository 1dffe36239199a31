"""Errors in OpenAI's wire shape: {"error": {"message", "type", "param", "code"}}."""

from __future__ import annotations

import orjson
from aiohttp import web


class OpenAIError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        error_type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type
        self.code = code
        self.param = param

    def to_response(self) -> web.Response:
        error = {
            "message": self.message,
            "type": self.error_type,
            "param": self.param,
            "code": self.code,
        }
        return web.Response(
            status=self.status,
            body=orjson.dumps({"error": error}),
            content_type="application/json",
        )


def injected_error(status: int) -> OpenAIError:
    """The error a real upstream would send for this status, as asked by a fault directive."""
    if status == 429:
        return OpenAIError(
            429, "Rate limit reached (simulated).", "requests", code="rate_limit_exceeded"
        )
    if status == 401:
        return invalid_api_key()
    if status >= 500:
        return OpenAIError(
            status,
            "The server had an error while processing your request (simulated).",
            "server_error",
        )
    return OpenAIError(status, f"Simulated client error {status}.")


def invalid_api_key() -> OpenAIError:
    return OpenAIError(401, "Incorrect API key provided.", code="invalid_api_key")


def bad_request(message: str, param: str | None = None) -> OpenAIError:
    return OpenAIError(400, message, param=param)
