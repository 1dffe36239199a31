"""Settings, read from GATEWAY_* environment variables in one place: the composition root."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./data/gateway.db"


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", env_ignore_empty=True)

    env: Literal["development", "production"] = "development"
    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = Path("data")
    secret_key: SecretStr | None = Field(
        default=None, description="Encrypts provider keys at rest; generated in development.")
    admin_token: SecretStr | None = Field(
        default=None, description="Bootstraps the default workspace's admin token.")
    host: str = "127.0.0.1"
    port: int = 8080
    max_body_bytes: int = 10 * 1024 * 1024
    follow_interval_seconds: float = 0.2
    usage_batch_size: int = 500
    log_level: str = "info"
    access_log: bool = False
    request_log_retention_days: int = 30
    scheduled_jobs: bool = True
    serve_projections: bool = True  # false: run them with `llm-gateway projections run`
    workers: int = 1
    # The HTTP client to the provider: httptools (a small pooled HTTP/1.1 client, the
    # fastest here) or httpx (httpx over aiohttp, the client before it, kept as a fallback).
    upstream_client: Literal["httptools", "httpx"] = "httptools"


PLACEHOLDER_SECRETS = frozenset(
    {"", "change-me", "changeme", "secret", "password", "dev", "test", "admin", "xxx"})
MIN_PRODUCTION_SECRET_LENGTH = 32


def refuse_placeholder_secrets(settings: GatewaySettings) -> None:
    """Production must not start on a guessable secret or a dev one generated on disk."""
    if settings.env != "production":
        return
    for name in ("secret_key", "admin_token"):
        value = getattr(settings, name)
        text = value.get_secret_value() if value is not None else ""
        if text.lower() in PLACEHOLDER_SECRETS or len(text) < MIN_PRODUCTION_SECRET_LENGTH:
            raise SystemExit(
                f"GATEWAY_{name.upper()} must be set to a random value of at least "
                f"{MIN_PRODUCTION_SECRET_LENGTH} characters when GATEWAY_ENV=production")
