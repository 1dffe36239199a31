"""A gateway served by uvicorn on a real port, in a thread of the test process."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import uvicorn

from infrastructure.bootstrap import Gateway
from proxy_api.asgi import serve_gateway
from tests.e2e.servers import free_port


@dataclass
class RunningGateway:
    gateway: Gateway
    server: uvicorn.Server
    thread: threading.Thread
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def run_gateway(gateway: Gateway) -> RunningGateway:
    port = free_port()
    config = uvicorn.Config(serve_gateway(gateway), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"gateway-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the gateway did not start")
        time.sleep(0.02)
    return RunningGateway(gateway, server, thread, port)
