"""How the simulated upstream behaves; one frozen value shared by every request."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MODELS = ("gpt-4o-mini", "gpt-4o", "text-embedding-3-small")


@dataclass(frozen=True)
class SimulatorConfig:
    latency_ms: float = 0
    """Delay before the response (or its first stream chunk) starts."""

    tokens_per_second: float = 0
    """Pace of stream chunks; 0 streams as fast as the socket allows."""

    completion_tokens: int = 16
    """Answer length when the request names no max_tokens-like limit."""

    send_stream_usage: bool = True
    """False mimics OpenAI-compatible servers that never put usage in streams."""

    error_rate: float = 0.0
    """Every round(1 / error_rate)-th inference request fails with a 500, deterministically."""

    api_key: str | None = None
    """When set, requests must carry `Authorization: Bearer <api_key>`."""

    embedding_dimensions: int = 8

    models: tuple[str, ...] = DEFAULT_MODELS
