"""Assembling the aiohttp application and serving it."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable

from aiohttp import web

from simulator.config import SimulatorConfig
from simulator.front_door import openai_front_door
from simulator.handlers_chat import create_chat_completion
from simulator.handlers_completions import create_completion
from simulator.handlers_diagnostics import (
    clear_recent_requests,
    list_recent_requests,
    show_stats,
)
from simulator.handlers_embeddings import create_embeddings
from simulator.handlers_models import list_models, retrieve_model
from simulator.handlers_response_store import (
    cancel_response,
    delete_response,
    list_input_items,
    retrieve_response,
)
from simulator.handlers_responses import create_response
from simulator.state import SIMULATOR_STATE, SimulatorState

MAX_REQUEST_BYTES = 64 * 1024 * 1024  # long prompts easily pass aiohttp's 1 MiB default


def build_simulator_app(config: SimulatorConfig | None = None) -> web.Application:
    app = web.Application(middlewares=[openai_front_door], client_max_size=MAX_REQUEST_BYTES)
    app[SIMULATOR_STATE] = SimulatorState(config or SimulatorConfig())
    routes = app.router
    routes.add_get("/v1/models", list_models)
    routes.add_get("/v1/models/{model_id:.+}", retrieve_model)
    routes.add_post("/v1/chat/completions", create_chat_completion)
    routes.add_post("/v1/completions", create_completion)
    routes.add_post("/v1/embeddings", create_embeddings)
    routes.add_post("/v1/responses", create_response)
    routes.add_get("/v1/responses/{response_id}", retrieve_response)
    routes.add_delete("/v1/responses/{response_id}", delete_response)
    routes.add_get("/v1/responses/{response_id}/input_items", list_input_items)
    routes.add_post("/v1/responses/{response_id}/cancel", cancel_response)
    routes.add_get("/_sim/requests", list_recent_requests)
    routes.add_delete("/_sim/requests", clear_recent_requests)
    routes.add_get("/_sim/stats", show_stats)
    return app


def run_simulator(
    host: str = "127.0.0.1", port: int = 8090, config: SimulatorConfig | None = None
) -> None:
    """Serves until SIGINT or SIGTERM. Port 0 picks a free port; the printed line names it."""

    def announce(bound_host: str, bound_port: int) -> None:
        print(f"LLM API simulator listening on http://{bound_host}:{bound_port}/v1", flush=True)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_until_stopped(build_simulator_app(config), host, port, announce))


async def serve_until_stopped(
    app: web.Application,
    host: str,
    port: int,
    on_listening: Callable[[str, int], None],
    stopped: asyncio.Event | None = None,
    shutdown_timeout: float = 5.0,
) -> None:
    """Runs the app until `stopped` is set (or a stop signal arrives, in the main thread)."""
    stopped = stopped or asyncio.Event()
    # Cancelling handlers whose client went away ends [[sim:hang]] requests with their caller.
    runner = web.AppRunner(
        app, access_log=None, handler_cancellation=True, shutdown_timeout=shutdown_timeout
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port, backlog=1024).start()
        bound_host, bound_port = runner.addresses[0][:2]
        loop = asyncio.get_running_loop()
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(stop_signal, stopped.set)
        on_listening(bound_host, bound_port)
        await stopped.wait()
    finally:
        await runner.cleanup()
