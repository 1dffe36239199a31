"""GET /v1/models and GET /v1/models/{model_id}; bodies are encoded once per model list."""

from __future__ import annotations

from functools import lru_cache

import orjson
from aiohttp import web

from simulator.errors import OpenAIError
from simulator.state import SIMULATOR_STATE

MODEL_CREATED_AT = 1700000000


async def list_models(request: web.Request) -> web.Response:
    list_body, _ = _encoded_models(request.app[SIMULATOR_STATE].config.models)
    return web.Response(body=list_body, content_type="application/json")


async def retrieve_model(request: web.Request) -> web.Response:
    model_id = request.match_info["model_id"]
    _, body_by_id = _encoded_models(request.app[SIMULATOR_STATE].config.models)
    body = body_by_id.get(model_id)
    if body is None:
        raise OpenAIError(
            404,
            f"The model '{model_id}' does not exist or you do not have access to it.",
            code="model_not_found",
        )
    return web.Response(body=body, content_type="application/json")


@lru_cache(maxsize=8)
def _encoded_models(models: tuple[str, ...]) -> tuple[bytes, dict[str, bytes]]:
    entries = [
        {"id": model, "object": "model", "created": MODEL_CREATED_AT, "owned_by": "simulator"}
        for model in models
    ]
    list_body = orjson.dumps({"object": "list", "data": entries})
    return list_body, {entry["id"]: orjson.dumps(entry) for entry in entries}
