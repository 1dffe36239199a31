"""/_sim endpoints that let tests see what the gateway actually forwarded upstream."""

from __future__ import annotations

from aiohttp import web

from simulator.answering import json_response
from simulator.state import SIMULATOR_STATE


async def list_recent_requests(request: web.Request) -> web.Response:
    return json_response(list(request.app[SIMULATOR_STATE].recent_requests))


async def clear_recent_requests(request: web.Request) -> web.Response:
    request.app[SIMULATOR_STATE].recent_requests.clear()
    return json_response({"cleared": True})


async def show_stats(request: web.Request) -> web.Response:
    return json_response({"requests": request.app[SIMULATOR_STATE].request_count})
