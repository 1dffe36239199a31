"""Use cases on gateway keys: issue, regenerate, revoke, set expiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.ports import AggregateStore, Clock, SecretGenerator
from application.scoping import get_in_workspace
from domain.api_key import ApiKey
from domain.client import Client
from domain.key_format import format_key, hash_secret


@dataclass(frozen=True)
class IssuedKey:
    """The plaintext exists only here, to be shown once."""

    key: ApiKey
    plaintext: str


@dataclass
class KeyCommands:
    store: AggregateStore
    clock: Clock
    secrets: SecretGenerator

    def issue(self, workspace_id: UUID, client_id: UUID, name: str,
              expires_at: datetime | None = None) -> IssuedKey:
        get_in_workspace(self.store, Client, client_id, workspace_id, "client")
        public_id, secret = self.secrets.public_id(), self.secrets.secret()
        key = ApiKey.issue(workspace_id, client_id, public_id, hash_secret(secret), name,
                           expires_at, self.clock.now())
        self.store.save(key)
        return IssuedKey(key, format_key(public_id, secret))

    def regenerate(self, workspace_id: UUID, key_id: UUID, grace_seconds: int = 0) -> IssuedKey:
        key = self._get(workspace_id, key_id)
        secret = self.secrets.secret()
        key.regenerate(hash_secret(secret), grace_seconds, self.clock.now())
        self.store.save(key)
        return IssuedKey(key, format_key(key.public_id, secret))

    def revoke(self, workspace_id: UUID, key_id: UUID, reason: str | None = None) -> ApiKey:
        key = self._get(workspace_id, key_id)
        key.revoke(reason, self.clock.now())
        self.store.save(key)
        return key

    def set_expiry(self, workspace_id: UUID, key_id: UUID,
                   expires_at: datetime | None) -> ApiKey:
        key = self._get(workspace_id, key_id)
        key.set_expiry(expires_at, self.clock.now())
        self.store.save(key)
        return key

    def _get(self, workspace_id: UUID, key_id: UUID) -> ApiKey:
        return get_in_workspace(self.store, ApiKey, key_id, workspace_id, "key")
