"""Steps shared by every inference endpoint: timing, injected failures, answer length, usage."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import orjson
from aiohttp import web

from simulator.errors import injected_error
from simulator.faults import Faults
from simulator.state import SimulatorState

HANG_SECONDS = 3600
LIMIT_FIELDS = ("max_completion_tokens", "max_tokens", "max_output_tokens")
MALFORMED_BODY = b'{"id": "sim-malformed", "object": '


@dataclass(frozen=True, slots=True)
class AnswerPlan:
    token_count: int
    finish_reason: str
    """Either "stop", or "length" when the request's limit cut a [[sim:tokens=N]] answer."""


async def wait_then_fail_if_asked(state: SimulatorState, faults: Faults) -> None:
    """Sleeps for the configured latency, then raises the error this request should get."""
    scheduled_failure = state.scheduled_failure()
    delay_ms = state.config.latency_ms + faults.delay_ms
    if delay_ms > 0:
        await asyncio.sleep(delay_ms / 1000)
    if faults.hang:
        await asyncio.sleep(HANG_SECONDS)
    if faults.error_status is not None:
        raise injected_error(faults.error_status)
    if scheduled_failure:
        raise injected_error(500)


def plan_answer(body: dict[str, Any], faults: Faults, state: SimulatorState) -> AnswerPlan:
    """The request's own limit is taken as the natural answer length, so benchmarks control
    output size through max_tokens; a tokens directive overrides it but is still capped."""
    limit = _requested_limit(body)
    if faults.tokens is None:
        return AnswerPlan(state.config.completion_tokens if limit is None else limit, "stop")
    if limit is not None and faults.tokens > limit:
        return AnswerPlan(limit, "length")
    return AnswerPlan(faults.tokens, "stop")


def _requested_limit(body: dict[str, Any]) -> int | None:
    for field in LIMIT_FIELDS:
        value = body.get(field)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    return None


def completion_usage(prompt_tokens: int, completion_tokens: int) -> dict[str, Any]:
    """Usage as chat and legacy completions report it."""
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 0},
    }


def wants_stream(body: dict[str, Any]) -> bool:
    return body.get("stream") is True


def stream_usage_wanted(body: dict[str, Any], state: SimulatorState, faults: Faults) -> bool:
    options = body.get("stream_options")
    asked = isinstance(options, dict) and options.get("include_usage") is True
    return asked and state.config.send_stream_usage and not faults.no_usage


def json_response(payload: Any) -> web.Response:
    return web.Response(body=orjson.dumps(payload), content_type="application/json")


def non_stream_fault_response(request: web.Request, faults: Faults) -> web.Response | None:
    """The broken answer a reset or malformed directive asks for, if any."""
    if faults.reset:
        abort_connection(request)
        return web.Response()  # aiohttp drops it quietly: the transport is already gone
    if faults.malformed:
        return web.Response(body=MALFORMED_BODY, content_type="application/json")
    return None


def abort_connection(request: web.Request) -> None:
    transport = request.transport
    if transport is not None:
        transport.abort()
