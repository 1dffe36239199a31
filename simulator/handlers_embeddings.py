"""POST /v1/embeddings: unit vectors derived from a hash of each input, so they are stable."""

from __future__ import annotations

import base64
import hashlib
import math
import struct
from typing import Any

from aiohttp import web

from simulator.answering import json_response, non_stream_fault_response, wait_then_fail_if_asked
from simulator.errors import bad_request
from simulator.faults import directive_text, parse_faults
from simulator.front_door import request_object, required_model
from simulator.state import SIMULATOR_STATE
from simulator.tokens import input_tokens

MAX_DIMENSIONS = 4096


async def create_embeddings(request: web.Request) -> web.Response:
    state = request.app[SIMULATOR_STATE]
    body = request_object(request)
    model = required_model(body)
    inputs = embedding_inputs(body.get("input"))
    dimensions = body.get("dimensions", state.config.embedding_dimensions)
    if not isinstance(dimensions, int) or not 1 <= dimensions <= MAX_DIMENSIONS:
        raise bad_request(f"dimensions must be between 1 and {MAX_DIMENSIONS}", "dimensions")
    as_base64 = body.get("encoding_format") == "base64"
    faults = parse_faults(directive_text(body["input"]))
    await wait_then_fail_if_asked(state, faults)

    broken = non_stream_fault_response(request, faults)
    if broken is not None:
        return broken
    data = []
    for index, item in enumerate(inputs):
        vector = embedding_vector(item, dimensions)
        data.append(
            {
                "object": "embedding",
                "index": index,
                "embedding": encode_base64(vector) if as_base64 else vector,
            }
        )
    result: dict[str, Any] = {"object": "list", "data": data, "model": model}
    if not faults.no_usage:
        prompt_tokens = input_tokens(body["input"])
        result["usage"] = {"prompt_tokens": prompt_tokens, "total_tokens": prompt_tokens}
    return json_response(result)


def embedding_inputs(value: Any) -> list[str | list[int]]:
    """One entry per vector to return: a string or a list of token ids."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value:
        if all(isinstance(item, int) for item in value):
            return [value]
        if all(isinstance(item, (str, list)) for item in value):
            return value
    raise bad_request(
        "input must be a string, an array of strings or an array of token arrays", "input"
    )


def embedding_vector(item: str | list[int], dimensions: int) -> list[float]:
    raw = hashlib.shake_128(str(item).encode()).digest(2 * dimensions)
    values = [word / 32767.5 - 1.0 for word in struct.unpack(f"<{dimensions}H", raw)]
    norm = math.sqrt(sum(value * value for value in values)) or 1.0
    return [value / norm for value in values]


def encode_base64(vector: list[float]) -> str:
    """Little-endian float32 bytes, base64-encoded, as OpenAI sends with encoding_format=base64."""
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
