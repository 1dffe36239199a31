"""POST /v1/completions (the legacy text completions API); always one choice."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from aiohttp import web

from simulator.answering import (
    AnswerPlan,
    completion_usage,
    json_response,
    non_stream_fault_response,
    plan_answer,
    stream_usage_wanted,
    wait_then_fail_if_asked,
    wants_stream,
)
from simulator.errors import bad_request
from simulator.faults import directive_text, parse_faults
from simulator.front_door import request_object, required_model
from simulator.sse import DONE_FRAME, Frame, data_frame, stream_frames
from simulator.state import SIMULATOR_STATE
from simulator.tokens import answer_text, input_tokens, token_piece


async def create_completion(request: web.Request) -> web.StreamResponse:
    state = request.app[SIMULATOR_STATE]
    body = request_object(request)
    model = required_model(body)
    prompt = body.get("prompt")
    if not isinstance(prompt, (str, list)):
        raise bad_request("prompt must be a string or an array", param="prompt")
    faults = parse_faults(directive_text(prompt))
    await wait_then_fail_if_asked(state, faults)

    plan = plan_answer(body, faults, state)
    usage = completion_usage(input_tokens(prompt), plan.token_count)
    header = {
        "id": f"cmpl-sim-{state.next_serial()}",
        "object": "text_completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
    }
    if wants_stream(body):
        include_usage = stream_usage_wanted(body, state, faults)
        frames = completion_chunk_frames(header, plan, usage if include_usage else None)
        return await stream_frames(request, frames, faults, state.config)

    broken = non_stream_fault_response(request, faults)
    if broken is not None:
        return broken
    choice = {
        "text": answer_text(plan.token_count),
        "index": 0,
        "logprobs": None,
        "finish_reason": plan.finish_reason,
    }
    completion = {**header, "choices": [choice]}
    if not faults.no_usage:
        completion["usage"] = usage
    return json_response(completion)


def completion_chunk_frames(
    header: dict[str, Any], plan: AnswerPlan, usage: dict[str, Any] | None
) -> Iterator[Frame]:
    """One chunk per token, a finish chunk, an optional usage chunk, then [DONE]."""
    base = dict(header)
    if usage is not None:
        base["usage"] = None

    def chunk(text: str, finish_reason: str | None) -> bytes:
        choice = {"text": text, "index": 0, "logprobs": None, "finish_reason": finish_reason}
        return data_frame({**base, "choices": [choice]})

    for index in range(plan.token_count):
        yield chunk(token_piece(index), None), True
    yield chunk("", plan.finish_reason), False
    if usage is not None:
        yield data_frame({**base, "choices": [], "usage": usage}), False
    yield DONE_FRAME, False
