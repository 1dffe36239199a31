"""Starting real gateway processes for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_ready(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def start_gateway(cwd: Path, port: int, env: dict[str, str] | None = None,
                  args: tuple[str, ...] = ()) -> subprocess.Popen:
    """``llm-gateway serve`` as a person runs it, its output going to cwd/gateway.log."""
    with open(cwd / f"gateway-{port}.log", "w") as log:  # the child keeps its own copy
        process = subprocess.Popen(
            [str(BIN / "llm-gateway"), "serve", "--port", str(port), *args], cwd=cwd,
            env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/healthz", process)
    except Exception:
        stop(process)
        raise
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
