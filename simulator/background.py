"""A simulator on its own event loop in a daemon thread, for tests and trials of the gateway."""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType

from simulator.app import build_simulator_app, serve_until_stopped
from simulator.config import SimulatorConfig

STARTUP_TIMEOUT_SECONDS = 10


class BackgroundSimulator:
    """`with BackgroundSimulator(SimulatorConfig()) as sim: ... sim.base_url ...`"""

    def __init__(
        self, config: SimulatorConfig | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.config = config or SimulatorConfig()
        self.host = host
        self.port = port
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="llm-api-simulator", daemon=True)

    @property
    def base_url(self) -> str:
        """Root URL; OpenAI clients want f"{base_url}/v1"."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> BackgroundSimulator:
        self._thread.start()
        if not self._ready.wait(STARTUP_TIMEOUT_SECONDS):
            raise TimeoutError("simulator did not start listening in time")
        if self._startup_error is not None:
            raise RuntimeError("simulator failed to start") from self._startup_error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
        self._thread.join(STARTUP_TIMEOUT_SECONDS)

    def __enter__(self) -> BackgroundSimulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # reported to start(), which re-raises it
            self._startup_error = error
        finally:
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        app = build_simulator_app(self.config)
        await serve_until_stopped(
            app, self.host, self.port, self._listening, self._stopped, shutdown_timeout=0.5
        )

    def _listening(self, host: str, port: int) -> None:
        self.port = port
        self._ready.set()
