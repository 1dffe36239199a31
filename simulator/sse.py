"""Server-sent events: frame encoding and a writer that applies stream faults and pacing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import orjson
from aiohttp import web

from simulator.answering import abort_connection
from simulator.config import SimulatorConfig
from simulator.faults import Faults

DONE_FRAME = b"data: [DONE]\n\n"
MALFORMED_FRAME = b"data: {malformed chunk\n\n"
FRAMES_BEFORE_RESET = 2
_SSE_HEADERS = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}

Frame = tuple[bytes, bool]
"""Encoded event and whether it carries one output token (tokens are the paced frames)."""


def data_frame(payload: Any) -> bytes:
    return b"data: " + orjson.dumps(payload) + b"\n\n"


def event_frame(event_type: str, payload: Any) -> bytes:
    return b"event: " + event_type.encode() + b"\ndata: " + orjson.dumps(payload) + b"\n\n"


async def stream_frames(
    request: web.Request, frames: Iterable[Frame], faults: Faults, config: SimulatorConfig
) -> web.StreamResponse:
    """Writes and flushes each frame as it is produced.

    [[sim:reset]] drops the connection after two frames; [[sim:malformed]] replaces the first
    token frame with one that is not JSON.
    """
    response = web.StreamResponse(headers=_SSE_HEADERS)
    await response.prepare(request)
    pause = 1 / config.tokens_per_second if config.tokens_per_second > 0 else 0
    tokens_sent = 0
    for frames_sent, (frame, is_token) in enumerate(frames):
        if faults.reset and frames_sent == FRAMES_BEFORE_RESET:
            abort_connection(request)
            return response
        if is_token:
            if pause and tokens_sent:
                await asyncio.sleep(pause)
            if faults.malformed and not tokens_sent:
                frame = MALFORMED_FRAME
            tokens_sent += 1
        try:
            await response.write(frame)
        except ConnectionResetError:  # the client gave up, e.g. on a malformed chunk
            return response
    return response
