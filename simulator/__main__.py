"""`python -m simulator --port 8090 ...`; the project CLI calls run_simulator directly."""

from __future__ import annotations

import argparse

from simulator.app import run_simulator
from simulator.config import SimulatorConfig


def parse_arguments(argv: list[str] | None = None) -> tuple[str, int, SimulatorConfig]:
    parser = argparse.ArgumentParser(prog="simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090, help="0 picks a free port")
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--tokens-per-second", type=float, default=0)
    parser.add_argument("--completion-tokens", type=int, default=16)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--no-stream-usage", action="store_true")
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--embedding-dimensions", type=int, default=8)
    parser.add_argument("--models", nargs="+", default=None, help="model ids to list")
    arguments = parser.parse_args(argv)
    config = SimulatorConfig(
        latency_ms=arguments.latency_ms,
        tokens_per_second=arguments.tokens_per_second,
        completion_tokens=arguments.completion_tokens,
        send_stream_usage=not arguments.no_stream_usage,
        error_rate=arguments.error_rate,
        api_key=arguments.api_key,
        embedding_dimensions=arguments.embedding_dimensions,
        **({"models": tuple(arguments.models)} if arguments.models else {}),
    )
    return arguments.host, arguments.port, config


if __name__ == "__main__":
    host, port, config = parse_arguments()
    run_simulator(host, port, config)
