"""POST /v1/responses (the Responses API), streamed or not."""

from __future__ import annotations

import time

from aiohttp import web

from simulator.answering import (
    json_response,
    non_stream_fault_response,
    plan_answer,
    wait_then_fail_if_asked,
    wants_stream,
)
from simulator.errors import bad_request
from simulator.faults import directive_text, parse_faults
from simulator.front_door import request_object, required_model
from simulator.responses_payloads import (
    finished_response,
    input_items,
    input_token_count,
    response_event_frames,
    response_object,
    responses_usage,
)
from simulator.sse import stream_frames
from simulator.state import SIMULATOR_STATE
from simulator.tokens import answer_text


async def create_response(request: web.Request) -> web.StreamResponse:
    state = request.app[SIMULATOR_STATE]
    body = request_object(request)
    model = required_model(body)
    if not isinstance(body.get("input"), (str, list)):
        raise bad_request("input must be a string or an array of items", param="input")
    faults = parse_faults(directive_text(body["input"]))
    await wait_then_fail_if_asked(state, faults)

    serial = state.next_serial()
    items = input_items(body["input"], id_prefix=f"msg_sim_in_{serial}")
    plan = plan_answer(body, faults, state)
    started = response_object(f"resp_sim_{serial}", int(time.time()), model, body)
    streaming = wants_stream(body)
    usage = None
    if not (faults.no_usage or (streaming and not state.config.send_stream_usage)):
        input_tokens = input_token_count(items, body.get("instructions"))
        usage = responses_usage(input_tokens, plan.token_count)
    text = answer_text(plan.token_count)
    finished = finished_response(started, f"msg_sim_{serial}", text, plan.finish_reason, usage)
    if body.get("store") is not False:
        state.responses.put(finished, items)

    if streaming:
        frames = response_event_frames(started, finished, plan.token_count)
        return await stream_frames(request, frames, faults, state.config)
    broken = non_stream_fault_response(request, faults)
    if broken is not None:
        return broken
    return json_response(finished)
