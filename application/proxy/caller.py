"""Who is calling: a gateway key resolved to its key, client and workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.proxy.ports import KeyDirectory
from domain.api_key import ApiKey
from domain.client import Client
from domain.errors import AuthenticationFailed, KeyExpired
from domain.key_format import parse_key, secret_matches
from domain.workspace import Workspace

INVALID_KEY = "Incorrect API key provided. Use 'Authorization: Bearer llm_gw_...'."


@dataclass(frozen=True, slots=True)
class Caller:
    key: ApiKey
    client: Client
    workspace: Workspace


def authenticate_key(directory: KeyDirectory, authorization: str | None,
                     now: datetime) -> Caller:
    """Raises AuthenticationFailed (401). The client's status is the caller's to check,
    so that a suspended client's attempt is still recorded."""
    scheme, _, token = (authorization or "").partition(" ")
    parsed = parse_key(token.strip()) if scheme.lower() == "bearer" else None
    if parsed is None:
        raise AuthenticationFailed(INVALID_KEY, code="invalid_api_key")
    public_id, secret = parsed
    key = directory.key_by_public_id(public_id)
    if key is None or not _secret_accepted(key, secret, now):
        raise AuthenticationFailed(INVALID_KEY, code="invalid_api_key")
    if key.revoked:
        raise AuthenticationFailed("This API key has been revoked.", code="invalid_api_key")
    if key.expires_at is not None and key.expires_at <= now:
        raise KeyExpired(f"This API key expired at {key.expires_at.isoformat()}.",
                         code="expired_api_key")
    client = directory.client_by_id(key.client_id)
    workspace = directory.workspace(key.workspace_id)
    if client is None or workspace is None:
        raise AuthenticationFailed(INVALID_KEY, code="invalid_api_key")
    return Caller(key, client, workspace)


def _secret_accepted(key: ApiKey, secret: str, now: datetime) -> bool:
    if secret_matches(secret, key.secret_hash):
        return True
    return (key.previous_secret_hash is not None and key.previous_valid_until is not None
            and now < key.previous_valid_until
            and secret_matches(secret, key.previous_secret_hash))
