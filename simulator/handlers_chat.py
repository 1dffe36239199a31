"""POST /v1/chat/completions."""

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
from simulator.tokens import answer_text, chat_prompt_tokens, token_piece


async def create_chat_completion(request: web.Request) -> web.StreamResponse:
    state = request.app[SIMULATOR_STATE]
    body = request_object(request)
    model = required_model(body)
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise bad_request("messages must be a non-empty array", param="messages")
    faults = parse_faults(directive_text(messages))
    await wait_then_fail_if_asked(state, faults)

    plan = plan_answer(body, faults, state)
    usage = completion_usage(chat_prompt_tokens(messages), plan.token_count)
    header = {
        "id": f"chatcmpl-sim-{state.next_serial()}",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
    }
    if wants_stream(body):
        include_usage = stream_usage_wanted(body, state, faults)
        frames = chat_chunk_frames(header, plan, usage if include_usage else None)
        return await stream_frames(request, frames, faults, state.config)

    broken = non_stream_fault_response(request, faults)
    if broken is not None:
        return broken
    message = {"role": "assistant", "content": answer_text(plan.token_count), "refusal": None}
    completion = {
        **header,
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": plan.finish_reason,
            }
        ],
    }
    if not faults.no_usage:
        completion["usage"] = usage
    return json_response(completion)


def chat_chunk_frames(
    header: dict[str, Any], plan: AnswerPlan, usage: dict[str, Any] | None
) -> Iterator[Frame]:
    """Role chunk, one chunk per token, finish chunk, optional usage chunk, [DONE].

    When usage is asked for, the other chunks carry "usage": null as OpenAI's do.
    """
    base = {**header, "object": "chat.completion.chunk"}
    if usage is not None:
        base["usage"] = None

    def chunk(delta: dict[str, Any], finish_reason: str | None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        return data_frame({**base, "choices": [choice]})

    yield chunk({"role": "assistant", "content": "", "refusal": None}, None), False
    for index in range(plan.token_count):
        yield chunk({"content": token_piece(index)}, None), True
    yield chunk({}, plan.finish_reason), False
    if usage is not None:
        yield data_frame({**base, "choices": [], "usage": usage}), False
    yield DONE_FRAME, False
