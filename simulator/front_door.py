"""What every /v1 request goes through before its handler: log, authenticate, decode JSON.

Doing this in one middleware also turns aiohttp's own 404/405 into OpenAI-shaped errors.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web
from aiohttp.typedefs import Handler

from simulator.errors import OpenAIError, bad_request, invalid_api_key
from simulator.state import SIMULATOR_STATE

# aiohttp >= 3.13 warns about plain string keys on requests; older versions lack RequestKey.
REQUEST_BODY: Any = (
    web.RequestKey("simulator_request_body", object)
    if hasattr(web, "RequestKey")
    else "simulator_request_body"
)


@web.middleware
async def openai_front_door(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/v1/"):
        return await handler(request)
    state = request.app[SIMULATOR_STATE]
    authorization = request.headers.get("Authorization")
    raw = await request.read() if request.body_exists else b""
    try:
        body = orjson.loads(raw) if raw else None
        parse_failed = False
    except orjson.JSONDecodeError:
        body = raw.decode("utf-8", "replace")
        parse_failed = True
    state.record(request.path, authorization, body)
    try:
        expected = state.expected_authorization
        if expected is not None and authorization != expected:
            raise invalid_api_key()
        if parse_failed:
            raise bad_request("We could not parse the JSON body of your request.")
        request[REQUEST_BODY] = body
        return await handler(request)
    except OpenAIError as error:
        return error.to_response()
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed) as error:
        message = f"Invalid URL ({request.method} {request.path})"
        return OpenAIError(error.status, message).to_response()


def request_object(request: web.Request) -> dict[str, Any]:
    body = request[REQUEST_BODY]
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    return body


def required_model(body: dict[str, Any]) -> str:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise bad_request("you must provide a model parameter", param="model")
    return model
